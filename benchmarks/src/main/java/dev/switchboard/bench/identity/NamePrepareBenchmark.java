package dev.switchboard.bench.identity;

import dev.switchboard.identity.NameMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The name half of {@code IdentityEngine.prepare}: a display name's tokens, blocking keys and index form, over the
 * display names of a 100,000-account {@link IdentityWorkload} (Cyrillic and Latin spellings, a few typos), one name
 * per operation. At a million accounts most names miss the engine's token cache, so this is what ingest pays per
 * event. Compare builds by running this before and after a change; allocation per name ({@code -prof gc}) is the
 * figure this VM reproduces. The baseline in the same run only copies each name's characters to lower case in a {@code StringBuilder}
 * (one pass, one {@code String}), the least any tokenizer does.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar NamePrepareBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NamePrepareBenchmark {
    private String[] names;
    private int next;

    @Setup
    public void generate() {
        IdentityWorkload w = IdentityWorkload.generate(100_000, 42);
        names = new String[w.size()];
        for (int i = 0; i < names.length; i++) {
            // copied in the order they are read, so they lie next to each other in memory as a name fresh from the
            // JSON parser lies in cache: the workload's own strings are scattered, and reading them measures misses
            names[i] = new String(w.account(i).profile().displayName().orElse("").toCharArray());
        }
    }

    private String nextName() {
        String name = names[next];
        next = next + 1 == names.length ? 0 : next + 1;
        return name;
    }

    @Benchmark
    public void tokensKeysAndForm(Blackhole bh) {
        List<String> tokens = NameMatcher.tokens(nextName());
        bh.consume(NameMatcher.keys(tokens));
        bh.consume(NameMatcher.form(tokens));
    }

    @Benchmark
    public String baselineLowerCaseCopy() {
        String name = nextName();
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            sb.append(Character.toLowerCase(name.charAt(i)));
        }
        return sb.toString();
    }
}
