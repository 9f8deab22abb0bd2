package dev.switchboard.bench.identity;

import dev.switchboard.identity.PreparedAccount;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The baseline {@link IdentityResolveBenchmark} is read against, measured in the same run: the {@link
 * IdentityIndexFloor} (only the hash-index traffic one resolve causes, every input prepared, no engine logic) over the
 * same workload sizes, JVM flags and iteration counts. This VM's speed moves by a third between sessions (a dependent
 * cache miss has cost 167 to 275 ns), so an absolute time says more about the machine than the engine; the resolve
 * time as a multiple of this floor, and each one's 1M/100k growth, are what compare across runs.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'Identity(Resolve|IndexFloor)Benchmark'}
 */
public class IdentityIndexFloorBenchmark extends IdentityBenchmarkSettings {

    private PreparedAccount[] prepared;

    @Setup(Level.Trial)
    public void prepare() {
        prepared = IdentityIndexFloor.prepareWorkload(accounts);
    }

    @Setup(Level.Iteration)
    public void collect() {
        System.gc(); // the previous iteration's maps are garbage; as the resolve benchmark does between iterations
    }

    @Benchmark
    public int indexTraffic() {
        return IdentityIndexFloor.run(prepared);
    }
}
