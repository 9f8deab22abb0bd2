package dev.switchboard.bench.identity;

import dev.switchboard.identity.GivenNames;
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

/**
 * The name matcher's cost per comparison, the step the engine runs for every name candidate of every event: the
 * similarity of two index forms, over consecutive display names of a 100,000-account {@link IdentityWorkload}
 * (Cyrillic and Latin, a few typos), plus a set of diminutive pairs (Саша / Александра Петрова). {@code givenNames}
 * scores forms made with the shipped given-name table (a diminutive carries the full names it stands for);
 * {@code spellingOnly} the same names with {@link GivenNames#none()}, i.e. the matcher without the table.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar NameSimilarityBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NameSimilarityBenchmark {
    private static final String[] DIMINUTIVES = {"Саша Петрова", "Александра Петрова", "Женя Орлов", "Евгений Орлов",
            "Коля Соколов", "Николай Соколов", "Катя Лебедева", "Екатерина Лебедева", "Dima Kozlov", "Дмитрий Козлов"};
    private String[] withTable;
    private String[] withoutTable;
    private int next;

    @Setup
    public void generate() {
        IdentityWorkload w = IdentityWorkload.generate(100_000, 42);
        int n = w.size() + DIMINUTIVES.length;
        withTable = new String[n];
        withoutTable = new String[n];
        for (int i = 0; i < n; i++) {
            String name = i < w.size() ? w.account(i).profile().displayName().orElse("") : DIMINUTIVES[i - w.size()];
            List<String> a = NameMatcher.tokens(name, GivenNames.standard());
            List<String> b = NameMatcher.tokens(name, GivenNames.none());
            withTable[i] = NameMatcher.form(a);
            withoutTable[i] = NameMatcher.form(b);
        }
    }

    private int pair() {
        int i = next;
        next = next + 2 >= withTable.length ? 0 : next + 1;
        return i;
    }

    @Benchmark
    public double givenNames() {
        int i = pair();
        return NameMatcher.similarity(withTable[i], withTable[i + 1]);
    }

    @Benchmark
    public double spellingOnly() {
        int i = pair();
        return NameMatcher.similarity(withoutTable[i], withoutTable[i + 1]);
    }
}
