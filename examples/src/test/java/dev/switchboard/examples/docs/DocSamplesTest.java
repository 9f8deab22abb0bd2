package dev.switchboard.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the Java samples of the README and docs/ compiling: every {@code ```java} block of a covered page must equal,
 * line for line (after removing the common indentation), one region of the page's sample sources between the
 * comments {@code // ---- ... snippet begins} and {@code // ---- ... snippet ends}. Those sources are ordinary tests
 * compiled by the build, so a sample that stops compiling fails the build, and a sample edited in the doc but not in
 * the test (or the reverse) fails here.
 *
 * <p>To cover another page: write a test class whose methods hold each of the page's samples between the markers
 * (free variables become parameters or locals declared before the marker), add the page and the class to
 * {@link #COMPILED}, and remove the page from {@link #NOT_YET_COMPILED}. Sample sources may live in any module
 * (the Spring Boot sample is compiled by examples-spring-boot); paths are relative to the repository root.
 */
class DocSamplesTest {

    private static final String SAMPLES = "examples/src/test/java/dev/switchboard/examples/";

    /** Page -> the sources holding its samples. */
    static final Map<String, List<String>> COMPILED = Map.ofEntries(
            Map.entry("README.md", List.of(SAMPLES + "ContactCenterIn30LinesTest.java",
                    "examples-spring-boot/src/test/java/dev/switchboard/examples/spring/ReadmeSpringBootSampleTest.java")),
            Map.entry("docs/examples.md", List.of(SAMPLES + "ContactCenterIn30LinesTest.java")),
            Map.entry("docs/unified-inbox.md", List.of(SAMPLES + "docs/UnifiedInboxSamplesTest.java")),
            Map.entry("docs/identity.md", List.of(SAMPLES + "docs/IdentitySamplesTest.java")),
            Map.entry("docs/consent.md", List.of(SAMPLES + "docs/ConsentSamplesTest.java")),
            Map.entry("docs/running.md", List.of(SAMPLES + "docs/RunningSamplesTest.java")),
            Map.entry("docs/rendering.md", List.of(SAMPLES + "docs/RenderingSamplesTest.java")),
            Map.entry("docs/channel-viber.md", List.of(SAMPLES + "docs/ViberSamplesTest.java")),
            Map.entry("docs/spring-boot.md", List.of(
                    "examples-spring-boot/src/test/java/dev/switchboard/examples/spring/SpringBootDocSamplesTest.java")),
            Map.entry("docs/operations.md", List.of(SAMPLES + "docs/OperationsSamplesTest.java",
                    SAMPLES + "docs/RoutingSamplesTest.java",
                    SAMPLES + "docs/SlaSamplesTest.java")),
            Map.entry("docs/surveys.md", List.of(SAMPLES + "docs/SurveysSamplesTest.java")),
            Map.entry("docs/kpis.md", List.of(SAMPLES + "docs/KpiSamplesTest.java")),
            Map.entry("docs/server-jetty.md", List.of(SAMPLES + "docs/ServerJettySamplesTest.java")),
            Map.entry("docs/channel-email.md", List.of(SAMPLES + "docs/ChannelEmailSamplesTest.java")),
            Map.entry("docs/channel-testkit.md", List.of(SAMPLES + "docs/ChannelTestkitSamplesTest.java")),
            Map.entry("docs/channel-telegram.md", List.of(SAMPLES + "docs/ChannelTelegramSamplesTest.java")),
            Map.entry("docs/channel-webchat.md", List.of(SAMPLES + "docs/ChannelWebchatSamplesTest.java")),
            Map.entry("docs/channel-vk.md", List.of(SAMPLES + "docs/ChannelVkSamplesTest.java")),
            Map.entry("docs/jdbc-store.md", List.of(SAMPLES + "docs/JdbcStoreSamplesTest.java")),
            Map.entry("docs/campaigns.md", List.of(SAMPLES + "docs/CampaignSamplesTest.java")),
            Map.entry("docs/inbox-testkit.md", List.of(SAMPLES + "docs/InboxTestkitSamplesTest.java")),
            Map.entry("docs/observability.md", List.of(SAMPLES + "docs/ObservabilitySamplesTest.java")),
            Map.entry("docs/privacy.md", List.of(SAMPLES + "docs/PrivacySamplesTest.java")),
            Map.entry("docs/write-your-own-channel.md", List.of(SAMPLES + "docs/pager/PagerConfig.java",
                    SAMPLES + "docs/pager/PagerChannel.java", SAMPLES + "docs/pager/PagerInboundMapper.java",
                    SAMPLES + "docs/pager/PagerWebhook.java", SAMPLES + "docs/pager/WriteYourOwnChannelSamplesTest.java")));

    /** Pages whose Java samples are not compiled yet; each should move to {@link #COMPILED}. */
    static final Set<String> NOT_YET_COMPILED = Set.of();

    private static final Pattern FENCE_OPEN = Pattern.compile("^\\s*```java\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern REGION_BEGIN = Pattern.compile("^\\s*// ---- .*snippet begins.*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// ---- .*snippet ends.*$");

    @TestFactory
    Stream<DynamicTest> everyJavaSampleOfACoveredPageIsCompiledVerbatim() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<String>> page : new java.util.TreeMap<>(COMPILED).entrySet()) {
            List<List<String>> blocks = javaBlocks(read(root().resolve(page.getKey())));
            List<List<String>> regions = new ArrayList<>();
            for (String source : page.getValue()) {
                regions.addAll(regions(read(root().resolve(source))));
            }
            tests.add(DynamicTest.dynamicTest(page.getKey() + " has Java samples", () ->
                    assertThat(blocks).as("```java blocks of %s", page.getKey()).isNotEmpty()));
            for (int i = 0; i < blocks.size(); i++) {
                List<String> block = blocks.get(i);
                String name = page.getKey() + " sample " + (i + 1) + " (" + first(block) + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> assertThat(regions)
                        .as("%s must appear verbatim between snippet markers in one of %s; the sample is:%n%s",
                                name, page.getValue(), String.join("\n", block))
                        .contains(block)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyPageWithJavaSamplesIsCoveredOrListedAsNotYetCompiled() throws IOException {
        Set<String> pages = new TreeSet<>();
        pages.add("README.md");
        try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(p -> pages.add("docs/" + p.getFileName()));
        }
        Set<String> withJava = new TreeSet<>();
        for (String page : pages) {
            if (!javaBlocks(read(root().resolve(page))).isEmpty()) {
                withJava.add(page);
            }
        }
        Set<String> unaccounted = new TreeSet<>(withJava);
        unaccounted.removeAll(COMPILED.keySet());
        unaccounted.removeAll(NOT_YET_COMPILED);
        assertThat(unaccounted).as("pages with ```java samples that no sample test compiles (add them to COMPILED)")
                .isEmpty();
        assertThat(NOT_YET_COMPILED).as("pages listed as not yet compiled that are also compiled")
                .doesNotContainAnyElementsOf(COMPILED.keySet());
    }

    @Test
    void theCheckerFindsADriftedSample() {
        List<String> doc = List.of("intro", "```java", "    int a = 1;", "    int b = a + 1;", "```", "outro");
        List<String> source = List.of("class X {", "  void m() {", "    // ---- doc snippet begins", "    int a = 1;",
                "    int b = a + 2;", "    // ---- doc snippet ends", "  }", "}");
        assertThat(javaBlocks(doc)).containsExactly(List.of("int a = 1;", "int b = a + 1;"));
        assertThat(regions(source)).containsExactly(List.of("int a = 1;", "int b = a + 2;"))
                .doesNotContain(javaBlocks(doc).get(0));
    }

    /** The {@code ```java} blocks of a markdown page, each without its common indentation and trailing blanks. */
    static List<List<String>> javaBlocks(List<String> markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown) {
            if (current == null && FENCE_OPEN.matcher(line).matches()) {
                current = new ArrayList<>();
            } else if (current != null && FENCE_CLOSE.matcher(line).matches()) {
                blocks.add(normalized(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The regions between snippet markers of a source file, normalized like {@link #javaBlocks}. */
    static List<List<String>> regions(List<String> source) {
        List<List<String>> regions = new ArrayList<>();
        List<String> current = null;
        for (String line : source) {
            if (current == null && REGION_BEGIN.matcher(line).matches()) {
                current = new ArrayList<>();
            } else if (current != null && REGION_END.matcher(line).matches()) {
                regions.add(normalized(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        assertThat(current).as("a snippet region is not closed").isNull();
        return regions;
    }

    private static List<String> normalized(List<String> lines) {
        List<String> out = new ArrayList<>(lines.stream().map(DocSamplesTest::stripTrailing).toList());
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        int indent = out.stream().filter(l -> !l.isEmpty()).mapToInt(DocSamplesTest::indentation).min().orElse(0);
        return out.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String first(List<String> block) {
        String line = block.isEmpty() ? "" : block.get(0).strip();
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: surefire runs in the module directory, an IDE may run in the root. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (README.md and docs/) above " + here);
    }
}
