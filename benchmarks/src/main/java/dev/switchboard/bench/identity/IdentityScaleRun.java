package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.Resolution;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-shot run of the identity workload outside JMH, printing what the engine decided (customers created, merges,
 * suggestions) next to the wall time, to sanity-check the workload and to attach a profiler.
 *
 * <p>{@code java -Xmx6g -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.identity.IdentityScaleRun 1000000}
 */
public final class IdentityScaleRun {
    private IdentityScaleRun() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        IdentityWorkload w = IdentityWorkload.generate(n, 42);
        for (int round = 0; round < rounds; round++) {
            InMemoryStore store = new InMemoryStore();
            AtomicLong ids = new AtomicLong();
            IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").nameCacheSize(Long.getLong("nameCache", 100_000))
                    .idGenerator(() -> Long.toString(ids.incrementAndGet(), 36)).build();
            System.gc();
            java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
            long created = 0;
            long merges = 0;
            long suggestions = 0;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < w.size(); i++) {
                int at = i;
                Resolution r = store.inTransaction(tx -> engine.resolve(tx, w.account(at), w.evidence(at)));
                created += r.created() ? 1 : 0;
                merges += r.merges().size();
                suggestions += r.suggestions().size();
                for (var s : r.suggestions()) {
                    String reason = s.reasons().get(0);
                    String kind = reason.startsWith("similar names") ? "name"
                            : reason.contains("shared by several people") ? "ambiguous point"
                            : reason.contains("unverified") || reason.contains("typed") ? "typed point" : "other";
                    reasons.merge(kind, 1L, Long::sum);
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = (mx.getCurrentThreadCpuTime() - c0) / 1_000_000;
            int open = store.inTransaction(tx -> tx.openSuggestions(TenantId.DEFAULT, 1000).size());
            System.out.printf("accounts=%d evidence=%d time=%d ms cpu=%d ms created=%d merges=%d customers=%d suggestions=%d"
                            + " (first page of open: %d)%n", w.size(), w.evidenceCount(), ms, cpuMs, created, merges,
                    created - merges, suggestions, open);
            System.out.println("suggestions by kind: " + reasons);
        }
    }
}
