package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reports page in a real browser (headless Chromium), after the simulator's scenario and day: an agent answered
 * and resolved two conversations, and customers rated them (besides the two ratings the simulator's customers give). Every chart is drawn (SVG bars present) and the numbers
 * it shows as text are the API's JSON for the same query (the query the chart names in {@code data-source}); a chart
 * with nothing to show says so, and fills in on Refresh; a linked range of days without conversations shows the page's
 * empty state. This test's ratings are appended to the feed as the satisfaction survey records them
 * ({@code SATISFACTION_RATED}). A screenshot is kept in
 * {@code target/test-artifacts/reports.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}; skipped with a message without them, except on
 * CI ({@code CI=true}) where it fails, as in {@link ConsoleBrowserTest}.
 */
@Tag("slow")
class ReportsBrowserTest {

    private static final Path ARTIFACTS = HeadlessChromium.ARTIFACTS;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> CHARTS = List.of("chart-volume", "chart-first-response", "chart-resolution",
            "chart-first-response-histogram", "chart-resolution-histogram", "chart-sla", "chart-csat");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    static DemoContactCenter demo;
    static WebDriver browser;
    static final List<Conversation> resolved = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled("ReportsBrowserTest");
        demo = DemoContactCenter.start(DemoConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir)
                .scenario(DemoConfig.ScenarioMode.ALWAYS).timings(DemoEndToEndTest.SHORT).build());
        demo.simulator().orElseThrow().awaitFinished(Duration.ofMinutes(3));

        // An agent answers two open conversations and resolves them: first responses and resolution times.
        TenantInbox desk = demo.inbox().forTenant(DemoContactCenter.TENANT);
        for (Conversation c : desk.conversations(50).items()) {
            if (resolved.size() == 2 || c.status() == ConversationStatus.RESOLVED) {
                continue;
            }
            desk.reply(c.id(), Content.text("Thank you, it is sorted."), ReplyOptions.defaults().agent("maria"));
            resolved.add(desk.resolve(c.id()));
        }
        assertThat(resolved).hasSize(2);

        browser = HeadlessChromium.start(browserProfile, 1440, 1600);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void everyChartIsDrawnWithTheApisNumbers() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(demo.consoleUrl());
        login(wait, demo);
        // the console links the reports page
        browser.findElement(By.id("reports-link")).click();
        wait.until(ExpectedConditions.urlContains("/console/reports.html"));
        wait.until(d -> "ready".equals(d.findElement(By.id("charts")).getAttribute("data-state")));
        assertThat(browser.findElement(By.id("reports-empty")).isDisplayed()).isFalse();

        // The simulator's customers answered their surveys (5 and 4): the CSAT chart is drawn from the start.
        WebElement csat = browser.findElement(By.id("chart-csat"));
        assertThat(csat.getAttribute("data-state")).isEqualTo("ready");
        assertThat(csat.findElements(By.cssSelector("svg.chart-svg rect.bar"))).isNotEmpty();
        assertThat(report("chart-csat").path("total").path("ratings").asLong()).isEqualTo(2);

        // Two more customers rate the conversations resolved here; Refresh draws their ratings too.
        rate(resolved.get(0), 5);
        rate(resolved.get(1), 2);
        browser.findElement(By.id("refresh")).click();
        wait.until(d -> "ready".equals(d.findElement(By.id("charts")).getAttribute("data-state"))
                && d.findElement(By.id("chart-csat")).findElements(By.cssSelector("tr[data-series='total'] td.ratings"))
                .stream().anyMatch(td -> "4".equals(td.getText())));

        for (String chart : CHARTS) {
            WebElement card = browser.findElement(By.id(chart));
            assertThat(card.getAttribute("data-state")).as(chart).isEqualTo("ready");
            assertThat(card.findElements(By.cssSelector("svg.chart-svg rect.bar"))).as(chart).isNotEmpty();
            assertThat(card.findElement(By.cssSelector("a.csv")).getAttribute("href")).as(chart)
                    .contains(chart.endsWith("histogram") ? "/api/v1/reports/kpis/distribution.csv?from="
                            : "/api/v1/reports/kpis.csv?from=");
        }
        volumeMatches(report("chart-volume"));
        durationsMatch("chart-first-response", report("chart-first-response"), "firstResponse");
        durationsMatch("chart-resolution", report("chart-resolution"), "resolution");
        histogramMatches("chart-first-response-histogram", report("chart-first-response-histogram"),
                report("chart-first-response").path("total").path("firstResponse").path("count").asLong());
        histogramMatches("chart-resolution-histogram", report("chart-resolution-histogram"),
                report("chart-resolution").path("total").path("resolution").path("count").asLong());
        slaMatches(report("chart-sla"));
        csatMatches(report("chart-csat"));
        assertThat(report("chart-csat").path("total").path("ratings").asLong()).isEqualTo(4);
        assertThat(report("chart-resolution").path("total").path("resolution").path("count").asLong())
                .isGreaterThanOrEqualTo(2);

        // The CSV link answers with the same query's CSV.
        String csv = fetch(browser.findElement(By.cssSelector("#chart-volume a.csv")).getAttribute("href"));
        assertThat(csv).startsWith("scope,period,channel_type,conversations,");
        assertThat(csv.strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("total,,," + report("chart-volume").path("total").path("conversations").asLong() + ",");
        screenshot("reports.png");
    }

    @Test
    void daysWithoutConversationsShowTheEmptyState() throws Exception {
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            // a linked range of days long before the demo started, opened afresh
            browser.get("about:blank");
            browser.get(demo.baseUri().resolve("/console/reports.html#from=2020-03-01&to=2020-03-08").toString());
            login(wait, demo);
            wait.withMessage(() -> "the page shows: " + browser.findElement(By.tagName("body")).getText())
                    .until(d -> "empty".equals(d.findElement(By.id("charts")).getAttribute("data-state")));
            assertThat(browser.findElement(By.id("reports-empty")).getText())
                    .contains("No conversations in these days yet");
            assertThat(browser.findElement(By.id("range-label")).getText()).contains("from 2020-03-01 to 2020-03-07");
            for (String chart : CHARTS) {
                WebElement card = browser.findElement(By.id(chart));
                assertThat(card.getAttribute("data-state")).as(chart).isEqualTo("empty");
                assertThat(card.findElements(By.cssSelector("svg"))).as(chart).isEmpty();
            }
        } finally {
            browser.manage().deleteAllCookies(); // the other test starts from the login form
        }
    }

    private static void volumeMatches(JsonNode report) {
        WebElement card = browser.findElement(By.id("chart-volume"));
        assertThat(report.path("total").path("conversations").asLong()).isPositive();
        for (JsonNode row : report.path("rows")) {
            String day = row.path("period").asText();
            String type = row.path("group").path("channelType").asText();
            String count = String.valueOf(row.path("conversations").asLong());
            WebElement cell = card.findElement(By.cssSelector("tr[data-day='" + day + "'] td[data-series='" + type
                    + "']"));
            assertThat(cell.getText()).as(day + " " + type).isEqualTo(count);
            assertThat(card.findElement(By.cssSelector("rect.bar[data-day='" + day + "'][data-series='" + type
                    + "']")).getAttribute("data-value")).isEqualTo(count);
        }
        assertThat(card.findElement(By.cssSelector("tr[data-day='total'] td.total")).getText())
                .isEqualTo(String.valueOf(report.path("total").path("conversations").asLong()));
    }

    private static void durationsMatch(String chart, JsonNode report, String field) {
        WebElement card = browser.findElement(By.id(chart));
        List<JsonNode> lines = new ArrayList<>();
        report.path("rows").forEach(lines::add);
        lines.add(report.path("total"));
        int drawn = 0;
        for (JsonNode row : lines) {
            JsonNode stats = row.path(field);
            if (stats.path("count").asLong() == 0) {
                continue;
            }
            String key = row == report.path("total") ? "total" : row.path("group").path("channelType").asText();
            WebElement tr = card.findElement(By.cssSelector("tr[data-series='" + key + "']"));
            assertThat(tr.findElement(By.cssSelector("td.count")).getText()).as(chart + " " + key)
                    .isEqualTo(String.valueOf(stats.path("count").asLong()));
            for (String[] c : new String[][] {{"median", "medianMs"}, {"p90", "p90Ms"}, {"mean", "meanMs"},
                    {"max", "maxMs"}}) {
                assertThat(tr.findElement(By.cssSelector("td." + c[0])).getText()).as(chart + " " + key + " " + c[0])
                        .isEqualTo(duration(stats.path(c[1]).asLong()));
            }
            assertThat(card.findElement(By.cssSelector("rect.bar.median[data-series='" + key + "']"))
                    .getAttribute("data-value")).isEqualTo(String.valueOf(stats.path("medianMs").asLong()));
            drawn++;
        }
        assertThat(drawn).as(chart).isGreaterThanOrEqualTo(2); // a channel and the total
    }

    /** Every bucket's count is the API's, drawn as a bar when not zero; the counts add up to the summary's. */
    private static void histogramMatches(String chart, JsonNode dist, long summaryCount) {
        WebElement card = browser.findElement(By.id(chart));
        assertThat(dist.path("count").asLong()).as(chart).isEqualTo(summaryCount).isPositive();
        JsonNode buckets = dist.path("buckets");
        assertThat(buckets.size()).as(chart).isEqualTo(11);
        long sum = 0;
        for (int i = 0; i < buckets.size(); i++) {
            long count = buckets.get(i).path("count").asLong();
            sum += count;
            assertThat(card.findElement(By.cssSelector("tr[data-series='" + i + "'] td.count")).getText())
                    .as(chart + " bucket " + i).isEqualTo(String.valueOf(count));
            List<WebElement> bars = card.findElements(By.cssSelector("rect.bar[data-series='" + i + "']"));
            if (count > 0) {
                assertThat(bars).as(chart + " bucket " + i).hasSize(1);
                assertThat(bars.get(0).getAttribute("data-value")).isEqualTo(String.valueOf(count));
            } else {
                assertThat(bars).as(chart + " bucket " + i).isEmpty();
            }
        }
        assertThat(sum).isEqualTo(summaryCount);
        assertThat(card.findElement(By.cssSelector("tr[data-series='total'] td.count")).getText())
                .isEqualTo(String.valueOf(summaryCount));
    }

    private static void slaMatches(JsonNode report) {
        WebElement card = browser.findElement(By.id("chart-sla"));
        List<JsonNode> lines = new ArrayList<>();
        report.path("rows").forEach(lines::add);
        lines.add(report.path("total"));
        assertThat(report.path("total").has("firstResponseSlaAttainment")).isTrue();
        assertThat(lines).as("rows per SLA policy").anyMatch(r -> !r.path("group").path("slaPolicy").asText()
                .isEmpty());
        for (JsonNode row : lines) {
            String key = row == report.path("total") ? "total" : row.path("group").path("slaPolicy").asText();
            WebElement tr = card.findElement(By.cssSelector("tr[data-series='" + key + "']"));
            for (String field : List.of("firstResponseSlaAttainment", "resolutionSlaAttainment")) {
                String expected = row.has(field) ? percent(row.path(field).asDouble()) : "—";
                assertThat(tr.findElement(By.cssSelector("td." + field)).getText()).as(key + " " + field)
                        .isEqualTo(expected);
            }
        }
    }

    private static void csatMatches(JsonNode report) {
        WebElement card = browser.findElement(By.id("chart-csat"));
        List<JsonNode> lines = new ArrayList<>();
        report.path("rows").forEach(lines::add);
        lines.add(report.path("total"));
        for (JsonNode row : lines) {
            if (row.path("ratings").asLong() == 0) {
                continue;
            }
            String key = row == report.path("total") ? "total" : row.path("group").path("agent").asText();
            WebElement tr = card.findElement(By.cssSelector("tr[data-series='" + key + "']"));
            assertThat(tr.findElement(By.cssSelector("td.csat")).getText()).as(key)
                    .isEqualTo(String.format(Locale.ROOT, "%.2f", row.path("csatAverage").asDouble()));
            assertThat(tr.findElement(By.cssSelector("td.ratings")).getText()).as(key)
                    .isEqualTo(String.valueOf(row.path("ratings").asLong()));
        }
        assertThat(report.path("total").path("csatAverage").asDouble()).isEqualTo(4.0); // (5 + 4 + 5 + 2) / 4
    }

    /** The JSON of the query a chart names in {@code data-source}, fetched with the page's session. */
    private static JsonNode report(String chart) throws Exception {
        String source = browser.findElement(By.id(chart)).getAttribute("data-source");
        assertThat(source).as(chart).startsWith(chart.endsWith("histogram")
                ? "/api/v1/reports/kpis/distribution?from=" : "/api/v1/reports/kpis?from=");
        return MAPPER.readTree(fetch(source));
    }

    private static String fetch(String url) {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})"
                        + ".then(r => r.text()).then(done, e => done('fetch failed: ' + e));", url);
    }

    /** The page's duration format: seconds under a minute, minutes and seconds under an hour, else hours. */
    private static String duration(long ms) {
        long total = Math.round(ms / 1000.0);
        if (total < 60) {
            return total + " s";
        }
        if (total < 3600) {
            return total / 60 + " min " + String.format(Locale.ROOT, "%02d", total % 60) + " s";
        }
        return total / 3600 + " h " + String.format(Locale.ROOT, "%02d", total / 60 % 60) + " min";
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** Records a customer's rating the way a satisfaction survey does. */
    private static void rate(Conversation c, int stars) {
        demo.store().inTransaction(tx -> tx.appendEvent(new InboxEvent(0, DemoContactCenter.TENANT,
                InboxEvent.Type.SATISFACTION_RATED, Optional.of(c.id()), Optional.empty(), Optional.of(c.customer()),
                Map.of(InboxEvent.Attribute.RATING, String.valueOf(stars), InboxEvent.Attribute.AGENT, "maria",
                        InboxEvent.Attribute.SURVEY, "survey-" + c.id().value()), Instant.now())));
    }

    /** Logs in as maria when the page asks (the session cookie may still be there from another test). */
    private static void login(WebDriverWait wait, DemoContactCenter server) {
        wait.until(d -> d.findElement(By.id("login-secret")).isDisplayed()
                || "maria".equals(d.findElement(By.id("agent-name")).getText()));
        if (!browser.findElement(By.id("login-secret")).isDisplayed()) {
            return;
        }
        WebElement agentField = browser.findElement(By.id("login-agent"));
        agentField.clear();
        agentField.sendKeys("maria");
        browser.findElement(By.id("login-secret")).sendKeys(server.adminSecret());
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "maria"));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTIFACTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
