package dev.switchboard.bench.identity;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sizes, JVM and iteration counts shared by the identity benchmarks whose figures are read against each other
 * ({@link IdentityResolveBenchmark} and its same-run baseline {@link IdentityIndexFloorBenchmark}). JMH reads these
 * annotations and the {@code accounts} parameter from the superclass, so the two cannot drift apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Five warm-up and five measured iterations: with one warm-up the 100k point was still being compiled in its measured
// iterations (1.65 s, then 1.39 s, then 1.37 s), which flattered the 1M/100k ratio by about a quarter; with three, a
// 100k iteration still ranged 1.2-1.85 s, partly because a young collection lands in about one 100k iteration in five.
@Warmup(iterations = 5)
@Measurement(iterations = 5)
// Tuned for a live set that only grows (every customer and suggestion outlives the run): a 3 GiB young generation
// and MaxTenuringThreshold=0 promote survivors straight to the old generation instead of copying them between
// survivor spaces (GC time at 1M: 18 s -> 4 s); the heap is pre-touched at start-up so that first-touch page faults
// (very slow on this VM: ~35 s for 6 GiB) are not charged to whichever iteration happens to grow into new memory.
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC", "-Xmn3g", "-XX:MaxTenuringThreshold=0",
        "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public abstract class IdentityBenchmarkSettings {

    /** Inbound accounts per operation (three pieces of evidence each): the two sizes the growth target compares. */
    @Param({"100000", "1000000"})
    public int accounts;
}
