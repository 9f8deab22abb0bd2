package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.identity.Resolution;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One-shot run of the identity workload outside JMH, printing what the engine decided (customers created, merges,
 * suggestions) next to the wall time, the resolving thread's CPU time and the machine's load average, to sanity-check
 * the workload and to attach a profiler. Several sizes can be given (comma-separated) so that both figures the
 * target compares come from one run on one machine state.
 *
 * <p>{@code java -Xms6g -Xmx6g -XX:+UseParallelGC -Xmn3g -XX:MaxTenuringThreshold=0 -XX:+AlwaysPreTouch
 * -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.identity.IdentityScaleRun 100000,1000000 2 [threads]}
 * (arguments: sizes, rounds per size, 1 or 2 threads as in {@link IdentityResolveBenchmark#threads}, or 0 to prepare
 * every event first and time that on its own, then time only the store work: the two halves the two-thread mode
 * overlaps)
 *
 * <p>Experiment switches (system properties; the defaults are the engine's and the JMH benchmark's):
 * {@code -Dhistogram=true} prints the top of a live-object class histogram after each round,
 * {@code -Dpresize=false} lets the store's indexes grow instead of sizing them for the workload as the JMH benchmark
 * does, {@code -DcommonName=N} the engine's common-name limit, {@code -DnameCache=N} token cache size,
 * {@code -DnameCandidates=N} name-index entries compared per event (0 turns name-similarity scoring off), {@code -Dthreshold=X} suggestion threshold (1.0 scores every candidate but suggests
 * none, which separates the cost of finding candidates from the cost of recording suggestions).
 */
public final class IdentityScaleRun {
    private IdentityScaleRun() {
    }

    public static void main(String[] args) {
        String sizes = args.length > 0 ? args[0] : "1000000";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (String size : sizes.split(",")) {
            run(Integer.parseInt(size.strip()), rounds, threads);
        }
    }

    private static void run(int n, int rounds, int threads) {
        IdentityWorkload w = IdentityWorkload.generate(n, 42);
        for (int round = 0; round < rounds; round++) {
            InMemoryStore store = Boolean.parseBoolean(System.getProperty("presize", "true"))
                    ? new InMemoryStore(w.size()) : new InMemoryStore();
            IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU")
                    .nameCacheSize(Long.getLong("nameCache", 100_000))
                    .maxNameCandidates(Integer.getInteger("nameCandidates", 32))
                    .commonNameCustomers(Integer.getInteger("commonName", 8))
                    .suggestionThreshold(Double.parseDouble(System.getProperty("threshold", "0.75")))
                    .idGenerator(IdentityWorkload.ids()).build();
            System.gc();
            Map<String, Long> reasons = new TreeMap<>();
            long created = 0;
            long merges = 0;
            long suggestions = 0;
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long gc0 = gcMillis();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            PreparedAccount[] ahead = null;
            if (threads == 0) {
                // experiment: every event prepared up front (timed on its own), then only store work is timed
                ahead = new PreparedAccount[w.size()];
                for (int i = 0; i < w.size(); i++) {
                    ahead[i] = engine.prepare(w.account(i), w.evidence(i));
                }
                long prepMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("prepare only: %d ms (gc %d ms)%n", prepMs, gcMillis() - gc0);
                t0 = System.nanoTime();
                c0 = mx.getCurrentThreadCpuTime();
                gc0 = gcMillis();
            }
            PreparingLane lane = threads > 1 ? PreparingLane.start(w, engine) : null;
            for (int i = 0; i < w.size(); i++) {
                int at = i;
                PreparedAccount prepared = ahead != null ? ahead[at] : lane == null ? null : lane.take(at);
                Resolution r = store.inTransaction(tx -> prepared == null
                        ? engine.resolve(tx, w.account(at), w.evidence(at)) : engine.resolve(tx, prepared));
                created += r.created() ? 1 : 0;
                merges += r.merges().size();
                suggestions += r.suggestions().size();
                for (var s : r.suggestions()) {
                    reasons.merge(IdentitySuggestionAudit.kind(s), 1L, Long::sum);
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = (mx.getCurrentThreadCpuTime() - c0) / 1_000_000;
            long gcMs = gcMillis() - gc0;
            double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            int open = store.inTransaction(tx -> tx.openSuggestions(TenantId.DEFAULT, 1000).size());
            System.out.printf("accounts=%d evidence=%d threads=%d round=%d time=%d ms cpu=%d ms gc=%d ms created=%d merges=%d"
                            + " customers=%d suggestions=%d (first page of open: %d) load=%.2f..%.2f%n", w.size(),
                    w.evidenceCount(), threads, round + 1, ms, cpuMs, gcMs, created, merges, created - merges, suggestions,
                    open, load0, load1);
            System.out.println("suggestions by kind: " + reasons);
            if (Boolean.getBoolean("histogram")) {
                printLiveHistogram(25);
            }
            java.lang.ref.Reference.reachabilityFence(store); // the histogram counts the store as live
        }
    }

    /** The top of a live-object class histogram (forces a full GC), to see what the store's live set is made of. */
    private static void printLiveHistogram(int lines) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            out.toString().lines().limit(lines + 3L).forEach(System.out::println);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("no class histogram from this JVM", e);
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
