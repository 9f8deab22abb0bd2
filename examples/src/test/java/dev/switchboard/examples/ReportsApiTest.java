package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.examples.api.ApiResponse;
import dev.switchboard.examples.api.KpiDistributionApi;
import dev.switchboard.examples.api.ReportsApi;
import dev.switchboard.examples.api.Router;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reports routes: the JSON shape documented in docs/openapi.yaml, the CSV with the same numbers, and bad
 * parameters as 400s naming the parameter. Facts come from events appended to the feed.
 */
class ReportsApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TenantId SHOP = TenantId.of("shop");

    private InMemoryInboxStore store;
    private Inbox inbox;
    private Router router;

    @BeforeEach
    void twoAnsweredConversations() {
        store = new InMemoryInboxStore();
        inbox = Inbox.builder().store(store).build();
        router = new ReportsApi(inbox.kpis(SHOP), MAPPER).register(new Router("/api/v1", MAPPER));
        new KpiDistributionApi(inbox.kpis(SHOP), MAPPER, () -> java.time.LocalDate.of(2026, 3, 10)).register(router);
        conversation("c-1", "ann", "2026-03-02T10:00:00Z", 120);
        conversation("c-2", "bob", "2026-03-03T10:00:00Z", 300);
    }

    @AfterEach
    void close() {
        inbox.close();
        store.close();
    }

    private void conversation(String id, String agent, String opened, long answeredAfterSeconds) {
        Instant at = Instant.parse(opened);
        append(InboxEvent.Type.CONVERSATION_OPENED, id, at, Map.of("channel", "tg"));
        append(InboxEvent.Type.MESSAGE_RECEIVED, id, at, Map.of("channel", "tg", "channelType", "telegram"));
        append(InboxEvent.Type.REPLY_QUEUED, id, at.plusSeconds(answeredAfterSeconds),
                Map.of("channel", "tg", "agent", agent, "parts", "1"));
        append(InboxEvent.Type.CONVERSATION_RESOLVED, id, at.plusSeconds(600), Map.of("status", "RESOLVED"));
    }

    private void append(InboxEvent.Type type, String conversation, Instant at, Map<String, String> attributes) {
        store.inTransaction(tx -> tx.appendEvent(new InboxEvent(0, SHOP, type,
                Optional.of(ConversationId.of(conversation)), Optional.empty(), Optional.empty(), attributes, at)));
    }

    private ApiResponse get(String path, String query) {
        return router.handle("GET", path, query, new byte[0]);
    }

    @Test
    void theJsonGroupsByAgentWithDurationsInMilliseconds() throws Exception {
        ApiResponse r = get("/api/v1/reports/kpis", "from=2026-03-01&to=2026-04-01&groupBy=agent");
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.path("groupBy").get(0).asText()).isEqualTo("agent");
        assertThat(json.has("period")).isFalse();
        assertThat(json.path("total").path("conversations").asLong()).isEqualTo(2);
        assertThat(json.path("total").path("firstResponse").path("medianMs").asLong()).isEqualTo(120_000);
        assertThat(json.path("total").path("firstResponse").path("maxMs").asLong()).isEqualTo(300_000);
        assertThat(json.path("total").path("resolutionRate").asDouble()).isEqualTo(1.0);
        assertThat(json.path("total").has("csatAverage")).isFalse(); // no ratings: left out, never null
        assertThat(json.path("rows")).hasSize(2);
        assertThat(json.path("rows").get(1).path("group").path("agent").asText()).isEqualTo("bob");
        assertThat(json.path("rows").get(1).path("firstResponse").path("meanMs").asLong()).isEqualTo(300_000);
    }

    @Test
    void theCsvCarriesTheSameNumbers() {
        ApiResponse r = get("/api/v1/reports/kpis.csv", "from=2026-03-01&to=2026-04-01&groupBy=agent&period=day");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/csv");
        String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).startsWith("group,2026-03-02,ann,1,0,1,1,1,0,1.0,1,120000,120000,120000,120000,");
        assertThat(lines[2]).startsWith("group,2026-03-03,bob,1,0,1,1,1,0,1.0,1,300000,300000,300000,300000,");
        assertThat(lines[3]).startsWith("total,,,2,0,2,2,2,0,1.0,2,210000,120000,300000,300000,");
    }

    @Test
    void lastCountsBackFromTheTenantsTodayAndNamesTheDays() throws Exception {
        Router lastWeek = new ReportsApi(inbox.kpis(SHOP), MAPPER, () -> java.time.LocalDate.of(2026, 3, 3))
                .register(new Router("/api/v1", MAPPER));
        JsonNode json = MAPPER.readTree(lastWeek.handle("GET", "/api/v1/reports/kpis", "last=2&groupBy=agent",
                new byte[0]).body());
        assertThat(json.path("from").asText()).isEqualTo("2026-03-02");
        assertThat(json.path("to").asText()).isEqualTo("2026-03-04");
        assertThat(json.path("total").path("conversations").asLong()).isEqualTo(2);
        JsonNode oneDay = MAPPER.readTree(lastWeek.handle("GET", "/api/v1/reports/kpis", "last=1", new byte[0])
                .body());
        assertThat(oneDay.path("from").asText()).isEqualTo("2026-03-03");
        assertThat(oneDay.path("total").path("conversations").asLong()).isEqualTo(1);
        String csv = new String(lastWeek.handle("GET", "/api/v1/reports/kpis.csv", "last=1", new byte[0]).body(),
                StandardCharsets.UTF_8);
        String[] csvLines = csv.split("\r\n");
        assertThat(csvLines[csvLines.length - 1]).startsWith("total,,1,0,1,1,1,0,1.0,1,300000,");
        for (String[] c : new String[][] {{"last=0", "'last' must be a number of days from 1 to 366, was '0'"},
                {"last=week", "was 'week'"}, {"last=367", "was '367'"},
                {"last=7&from=2026-03-01", "'last' cannot be combined with 'from' and 'to'"}}) {
            ApiResponse r = lastWeek.handle("GET", "/api/v1/reports/kpis", c[0], new byte[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(MAPPER.readTree(r.body()).path("error").path("message").asText()).as(c[0]).contains(c[1]);
        }
    }

    @Test
    void aDeskWithoutConversationsAnswersZerosOnH2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (dev.switchboard.inbox.jdbc.JdbcInboxStore h2 = dev.switchboard.inbox.jdbc.JdbcInboxStore.h2File(
                dir.resolve("db")); Inbox empty = Inbox.builder().store(h2).build()) {
            Router quiet = new ReportsApi(empty.kpis(SHOP), MAPPER).register(new Router("/api/v1", MAPPER));
            ApiResponse r = quiet.handle("GET", "/api/v1/reports/kpis", "last=7&groupBy=channelType&period=day",
                    new byte[0]);
            assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            JsonNode json = MAPPER.readTree(r.body());
            assertThat(json.path("total").path("conversations").asLong()).isZero();
            assertThat(json.path("rows")).isEmpty();
        }
    }

    @Test
    void badParametersAreBadRequestsNamingTheParameter() throws Exception {
        for (String[] c : new String[][] {{"to=2026-04-01", "'from'"}, {"from=2026-03-01&to=April", "'to'"},
                {"from=2026-03-01&to=2026-04-01&groupBy=mood", "'groupBy'"},
                {"from=2026-03-01&to=2026-04-01&period=year", "'period'"},
                {"from=2026-03-01&to=2026-04-01&basis=lunar", "'basis'"},
                {"from=2026-04-01&to=2026-03-01", "from (2026-04-01) must be before to"}}) {
            ApiResponse r = get("/api/v1/reports/kpis", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(MAPPER.readTree(r.body()).path("error").path("message").asText()).as(c[0]).contains(c[1]);
        }
    }

    @Test
    void theDistributionCountsFirstResponsesPerBucketAsJsonAndCsv() throws Exception {
        // first responses of 2 and 5 minutes: default buckets [1 min, 5 min) and [5 min, 15 min)
        ApiResponse r = get("/api/v1/reports/kpis/distribution", "from=2026-03-01&to=2026-04-01&metric=firstResponse");
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.path("metric").asText()).isEqualTo("firstResponse");
        assertThat(json.path("count").asLong()).isEqualTo(2);
        assertThat(json.path("buckets")).hasSize(11);
        assertThat(json.path("buckets").get(1).path("fromMs").asLong()).isEqualTo(60_000);
        assertThat(json.path("buckets").get(1).path("toMs").asLong()).isEqualTo(300_000);
        assertThat(json.path("buckets").get(1).path("count").asLong()).isEqualTo(1);
        assertThat(json.path("buckets").get(2).path("count").asLong()).isEqualTo(1);
        assertThat(json.path("buckets").get(10).has("toMs")).isFalse();

        ApiResponse csv = get("/api/v1/reports/kpis/distribution.csv",
                "last=30&metric=resolution&bounds=600000,600001");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(new String(csv.body(), StandardCharsets.UTF_8).split("\r\n")).containsExactly(
                "metric,from_ms,to_ms,count", "resolution,0,600000,0", "resolution,600000,600001,2",
                "resolution,600001,,0");

        for (String[] c : new String[][] {{"from=2026-03-01&to=2026-04-01", "'metric'"},
                {"from=2026-03-01&to=2026-04-01&metric=speed", "'metric'"},
                {"from=2026-03-01&to=2026-04-01&metric=resolution&bounds=5,x", "'bounds'"},
                {"from=2026-03-01&to=2026-04-01&metric=resolution&bounds=5,5", "'bounds'"},
                {"from=2026-03-01&to=2026-04-01&metric=resolution&groupBy=agent", "'groupBy'"}}) {
            ApiResponse bad = get("/api/v1/reports/kpis/distribution", c[0]);
            assertThat(bad.status()).as(c[0]).isEqualTo(400);
            assertThat(MAPPER.readTree(bad.body()).path("error").path("message").asText()).as(c[0]).contains(c[1]);
        }
    }
}
