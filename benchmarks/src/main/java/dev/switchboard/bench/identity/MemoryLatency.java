package dev.switchboard.bench.identity;

import java.util.SplittableRandom;

/**
 * The machine's cost of one dependent cache miss: walks a random cycle through a 512 MiB int array, so every step
 * waits for the previous load, as a lookup in a million-entry index does (table slot, node, key, key bytes). A
 * baseline for the identity figures that does not depend on our code: the 1M resolve costs so many misses per account,
 * and what a miss costs is this machine's business. Run it with the benchmark's JVM flags, next to the benchmark.
 *
 * <p>{@code java -Xmx2g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.bench.identity.MemoryLatency}
 */
public final class MemoryLatency {
    private static final int SLOTS = 1 << 27; // 512 MiB: far beyond any cache
    private static final int STEPS = 20_000_000;

    private MemoryLatency() {
    }

    public static void main(String[] args) {
        int[] next = cycle(SLOTS, new SplittableRandom(1));
        for (int round = 1; round <= 3; round++) {
            int at = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < STEPS; i++) {
                at = next[at];
            }
            long ns = System.nanoTime() - t0;
            System.out.printf("round %d: %.1f ns per dependent miss (ended at %d)%n", round, (double) ns / STEPS, at);
        }
    }

    /**
     * A single cycle through all slots in random order: slots are shuffled, then each points at the next one in that
     * order, so the walk visits every slot before it repeats and the prefetcher cannot guess the next address.
     */
    private static int[] cycle(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[order[i]] = order[(i + 1) % n];
        }
        return next;
    }
}
