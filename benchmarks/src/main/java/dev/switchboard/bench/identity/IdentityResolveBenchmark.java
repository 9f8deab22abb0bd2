package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.identity.Resolution;
import dev.switchboard.store.memory.InMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resolves a whole {@link IdentityWorkload} (N accounts, 3N pieces of evidence) through the identity engine into a
 * fresh {@link InMemoryStore}, one transaction per inbound account as the inbox does it. Single-shot: one operation is
 * the entire workload, so the score is the wall time for N accounts; comparing the two sizes shows how the cost
 * grows with the data (near-linear is the goal: 10x the accounts should cost at most ~12x the time).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'Identity(Resolve|IndexFloor)Benchmark'} runs it together
 * with its baseline, {@link IdentityIndexFloorBenchmark}: read the figures as multiples of the floor from the same run.
 */
public class IdentityResolveBenchmark extends IdentityBenchmarkSettings {

    /**
     * 1: one thread prepares and resolves everything. 2: a second thread runs {@link IdentityEngine#prepare} on every
     * event ahead of the resolving thread ({@link PreparingLane}), as the inbox's ingest lanes do before they open a
     * transaction; resolution itself stays on one thread because the in-memory store serialises transactions.
     */
    @Param({"1", "2"})
    public int threads;

    private IdentityWorkload workload;
    private InMemoryStore store;
    private IdentityEngine engine;

    @Setup(Level.Trial)
    public void generate() {
        // the shaded jar's logback defaults to DEBUG; per-merge debug lines would dominate the measurement
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.switchboard"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        workload = IdentityWorkload.generate(accounts, 42);
    }

    @Setup(Level.Iteration)
    public void freshStore() {
        // sized for the workload, as a host that bulk-imports a customer base configures it: rehashing the
        // million-entry indexes as they grow cost about a tenth of the 1M run (IdentityScaleRun -Dpresize=false)
        store = new InMemoryStore(accounts);
        engine = IdentityEngine.builder().defaultRegion("RU").idGenerator(IdentityWorkload.ids()).build();
        System.gc();
    }

    @Benchmark
    public void resolveAll(Blackhole bh) {
        IdentityWorkload w = workload;
        PreparingLane lane = threads > 1 ? PreparingLane.start(w, engine) : null;
        for (int i = 0; i < w.size(); i++) {
            int at = i;
            PreparedAccount prepared = lane == null ? null : lane.take(at);
            Resolution r = store.inTransaction(tx -> prepared == null
                    ? engine.resolve(tx, w.account(at), w.evidence(at)) : engine.resolve(tx, prepared));
            bh.consume(r);
        }
    }
}
