package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.examples.api.AgentAuth;
import dev.switchboard.examples.api.ApiResponse;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.Router;
import dev.switchboard.inbox.routing.RoutingSettings;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations endpoints of the REST API ({@code /queue}, {@code /agents}, {@code /sla/...}) on an in-memory inbox
 * whose clock is a {@link ManualClock}: waits, countdowns, warnings and breaches are asserted at exact instants, and
 * SLA warnings and breaches are published by {@code sla().runDue()} after the clock moves, never by sleeping.
 */
class OperationsApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Monday 2026-03-02 09:00 UTC. */
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");
    private static final TenantId OTHER = TenantId.of("other-shop");

    private final ManualClock clock = new ManualClock(NINE);
    private InMemoryInboxStore store;
    private Inbox inbox;
    private FakeChannel telegram;
    private FakeChannel email;
    private FakeChannel otherTelegram;
    private TenantInbox desk;
    private ContactCenterApi api;

    @BeforeEach
    void start() {
        store = new InMemoryInboxStore();
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        otherTelegram = FakeChannel.of(OTHER, "other-tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        IdentityEngine identity = IdentityEngine.builder().build();
        inbox = Inbox.builder().store(store).identity(identity).clock(clock).channel(telegram).channel(email)
                .channel(otherTelegram).reopenWindow(Duration.ZERO).eventPollInterval(Duration.ofMillis(50)).build();
        inbox.start();
        desk = inbox.forTenant(TenantId.DEFAULT);
        for (TenantInbox t : List.of(desk, inbox.forTenant(OTHER))) {
            // manual: conversations stay queued until an agent takes one, so the queue's order is the test's
            t.routing().configure(RoutingSettings.builder().router(Router.manual()).routeInbound(false).build());
            t.sla().configure(List.of(
                    SlaPolicy.builder("chat").channelTypes(ChannelType.TELEGRAM).firstResponse(Duration.ofMinutes(5))
                            .build(),
                    SlaPolicy.builder("email").firstResponse(Duration.ofHours(1)).build()));
        }
        desk.routing().register(Agent.builder("maria").displayName("Maria K.").languages("ru", "en").capacity(2)
                .capacity(ChannelType.EMAIL, 1).build());
        desk.routing().register(Agent.builder("alex").displayName("Alex").capacity(1).build());
        inbox.forTenant(OTHER).routing().register(Agent.builder("olga").capacity(3).build());
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret("test-admin-secret", Set.of("maria", "alex")),
                        Duration.ofHours(1), clock), clock);
    }

    @AfterEach
    void stop() {
        inbox.close();
        store.close();
    }

    @Test
    void theQueueListsWaitingConversationsInServiceOrderWithWaitAndNextDeadline() throws Exception {
        ConversationId chat = writeAndQueue(telegram, TenantId.DEFAULT, "u1");
        clock.advance(Duration.ofMinutes(1));
        ConversationId mail = writeAndQueue(email, TenantId.DEFAULT, "u2");
        writeAndQueue(otherTelegram, OTHER, "stranger");
        clock.advance(Duration.ofMinutes(2));

        JsonNode queue = ok("GET", "/api/v1/queue", "");
        assertThat(queue.path("now").asText()).isEqualTo(NINE.plus(Duration.ofMinutes(3)).toString());
        assertThat(queue.path("waiting").asLong()).as("only this tenant's queue").isEqualTo(2);
        assertThat(ids(queue.path("items"), "id")).containsExactly(chat.value(), mail.value());

        JsonNode first = queue.path("items").get(0);
        assertThat(first.path("channel").path("id").asText()).isEqualTo("tg");
        assertThat(first.path("channelType").asText()).isEqualTo("telegram");
        assertThat(first.path("queue").asText()).isEqualTo("default");
        assertThat(first.path("priority").asText()).isEqualTo("normal");
        assertThat(first.path("customer").path("id").asText()).isNotBlank();
        assertThat(first.has("assignee")).isFalse();
        assertThat(first.path("waitingSince").asText()).isEqualTo(NINE.toString());
        assertThat(first.path("waitedSeconds").asLong()).isEqualTo(180);
        JsonNode deadline = first.path("deadline");
        assertThat(deadline.path("kind").asText()).isEqualTo("first_response");
        assertThat(deadline.path("policy").asText()).isEqualTo("chat");
        assertThat(deadline.path("state").asText()).isEqualTo("running");
        assertThat(deadline.path("dueAt").asText()).isEqualTo(NINE.plus(Duration.ofMinutes(5)).toString());
        assertThat(deadline.path("secondsLeft").asLong()).isEqualTo(120);

        JsonNode second = queue.path("items").get(1);
        assertThat(second.path("waitedSeconds").asLong()).isEqualTo(120);
        assertThat(second.path("deadline").path("policy").asText()).isEqualTo("email");
        assertThat(second.path("deadline").path("secondsLeft").asLong()).isEqualTo(Duration.ofMinutes(58).toSeconds());

        assertThat(ids(ok("GET", "/api/v1/queue?limit=1", "").path("items"), "id")).containsExactly(chat.value());
    }

    @Test
    void anAgentSetsTheirPresenceTakesTheLongestWaitingConversationAndSeesTheirLoad() throws Exception {
        ConversationId chat = writeAndQueue(telegram, TenantId.DEFAULT, "u1");
        clock.advance(Duration.ofMinutes(1));
        ConversationId mail = writeAndQueue(email, TenantId.DEFAULT, "u2");

        JsonNode agents = ok("GET", "/api/v1/agents", "");
        assertThat(ids(agents.path("items"), "id")).containsExactly("alex", "maria");
        assertThat(agents.path("me").asText()).isEqualTo("maria");
        assertThat(agents.path("registered").asBoolean()).isTrue();
        JsonNode maria = agents.path("items").get(1);
        assertThat(maria.path("displayName").asText()).isEqualTo("Maria K.");
        assertThat(maria.path("me").asBoolean()).isTrue();
        assertThat(maria.path("presence").asText()).isEqualTo("offline");
        assertThat(maria.path("open").asInt()).isZero();
        assertThat(maria.path("capacity").asInt()).isEqualTo(2);
        assertThat(maria.path("capacityByChannelType").path("email").asInt()).isEqualTo(1);
        assertThat(agents.path("items").get(0).path("me").asBoolean()).isFalse();

        JsonNode online = ok("PUT", "/api/v1/agents/maria/presence", "{\"presence\":\"online\"}");
        assertThat(online.path("presence").asText()).isEqualTo("online");
        assertThat(online.path("presenceSince").asText()).isEqualTo(clock.instant().toString());

        JsonNode taken = ok("POST", "/api/v1/agents/maria/take", "");
        assertThat(taken.path("taken").asBoolean()).isTrue();
        assertThat(taken.path("conversation").path("id").asText()).as("the longest waiting first")
                .isEqualTo(chat.value());
        assertThat(taken.path("conversation").path("assignee").asText()).isEqualTo("maria");
        assertThat(taken.path("conversation").path("nextDeadline").path("kind").asText()).isEqualTo("first_response");
        assertThat(ids(ok("GET", "/api/v1/queue", "").path("items"), "id")).containsExactly(mail.value());

        JsonNode mine = ok("GET", "/api/v1/agents/maria/conversations", "");
        assertThat(ids(mine.path("items"), "id")).containsExactly(chat.value());
        assertThat(mine.path("items").get(0).path("assignedAt").asText()).isEqualTo(clock.instant().toString());
        JsonNode load = ok("GET", "/api/v1/agents", "").path("items").get(1);
        assertThat(load.path("open").asInt()).isEqualTo(1);
        assertThat(load.path("openByChannelType").path("telegram").asInt()).isEqualTo(1);

        assertThat(ok("POST", "/api/v1/agents/maria/take", "").path("conversation").path("id").asText())
                .isEqualTo(mail.value());
        assertThat(ok("POST", "/api/v1/agents/maria/take", "").path("taken").asBoolean())
                .as("nothing left to take").isFalse();
        assertThat(ok("GET", "/api/v1/agents/alex/conversations", "").path("items")).isEmpty();
        assertThat(ok("GET", "/api/v1/queue", "").path("waiting").asLong()).isZero();
    }

    @Test
    void anAgentActsOnlyForThemselvesAndBadInputIsAClearError() throws Exception {
        assertError(call("maria", "PUT", "/api/v1/agents/alex/presence", "{\"presence\":\"online\"}"), 403,
                "agent_mismatch");
        assertError(call("maria", "POST", "/api/v1/agents/alex/take", ""), 403, "agent_mismatch");
        JsonNode missing = assertError(call("maria", "PUT", "/api/v1/agents/maria/presence", "{}"), 400,
                "invalid_request");
        assertThat(message(missing)).contains("'presence'");
        JsonNode unknown = assertError(call("maria", "PUT", "/api/v1/agents/maria/presence",
                "{\"presence\":\"busy\"}"), 400, "invalid_request");
        assertThat(message(unknown)).contains("'busy'").contains("online, away or offline");
        assertError(call("maria", "PUT", "/api/v1/agents/maria/presence", "{\"presence\":"), 400, "invalid_request");
        assertError(call("nobody", "PUT", "/api/v1/agents/nobody/presence", "{\"presence\":\"online\"}"), 404,
                "not_found");
        assertError(call("maria", "GET", "/api/v1/agents/nobody/conversations", ""), 404, "not_found");
        assertError(call("maria", "GET", "/api/v1/queue?limit=0", ""), 400, "invalid_request");
        assertError(call("maria", "GET", "/api/v1/sla/breached?limit=201", ""), 400, "invalid_request");
        assertError(call("maria", "GET", "/api/v1/sla/at-risk?limit=many", ""), 400, "invalid_request");
        assertThat(ok("GET", "/api/v1/agents", "").path("items").toString()).as("nothing changed").contains(
                "\"presence\":\"offline\"").doesNotContain("\"presence\":\"online\"");
    }

    @Test
    void anotherTenantsAgentsQueueAndDeadlinesAreNeverShown() throws Exception {
        ConversationId stranger = writeAndQueue(otherTelegram, OTHER, "stranger");
        inbox.forTenant(OTHER).routing().setPresence("olga", dev.switchboard.inbox.routing.Presence.ONLINE);
        clock.advance(Duration.ofMinutes(6));
        inbox.forTenant(OTHER).sla().runDue();
        assertThat(inbox.forTenant(OTHER).sla().breached(10)).hasSize(1);

        assertThat(ids(ok("GET", "/api/v1/agents", "").path("items"), "id")).containsExactly("alex", "maria");
        assertError(call("olga", "PUT", "/api/v1/agents/olga/presence", "{\"presence\":\"offline\"}"), 404,
                "not_found");
        assertError(call("olga", "POST", "/api/v1/agents/olga/take", ""), 404, "not_found");
        assertError(call("maria", "GET", "/api/v1/agents/olga/conversations", ""), 404, "not_found");
        assertThat(ok("GET", "/api/v1/queue", "").path("items")).isEmpty();
        assertThat(ok("GET", "/api/v1/sla/breached", "").path("items")).isEmpty();
        assertError(call("maria", "GET", "/api/v1/conversations/" + stranger.value(), ""), 404, "not_found");
        assertThat(inbox.forTenant(OTHER).routing().agent("olga").orElseThrow().presence())
                .isEqualTo(dev.switchboard.inbox.routing.Presence.ONLINE);
    }

    @Test
    void aDeadlineIsAtRiskAfterItsWarningThenBreachedAndTheConversationViewsShowIt() throws Exception {
        ConversationId chat = writeAndQueue(telegram, TenantId.DEFAULT, "u1");
        assertThat(ok("GET", "/api/v1/sla/at-risk", "").path("items")).isEmpty();

        clock.advance(Duration.ofMinutes(4));               // 80 % of the 5-minute target
        desk.sla().runDue();
        JsonNode atRisk = ok("GET", "/api/v1/sla/at-risk", "");
        assertThat(ids(atRisk.path("items"), "conversationId")).containsExactly(chat.value());
        JsonNode risky = atRisk.path("items").get(0);
        assertThat(risky.path("deadline").path("state").asText()).isEqualTo("warned");
        assertThat(risky.path("deadline").path("secondsLeft").asLong()).isEqualTo(60);
        assertThat(risky.path("status").asText()).isEqualTo("open");
        assertThat(risky.path("channel").path("type").asText()).isEqualTo("telegram");
        assertThat(ok("GET", "/api/v1/sla/breached", "").path("items")).isEmpty();

        clock.advance(Duration.ofMinutes(1).plusSeconds(30));
        desk.sla().runDue();
        assertThat(ok("GET", "/api/v1/sla/at-risk", "").path("items")).isEmpty();
        JsonNode breached = ok("GET", "/api/v1/sla/breached", "");
        assertThat(ids(breached.path("items"), "conversationId")).containsExactly(chat.value());
        assertThat(breached.path("items").get(0).path("deadline").path("state").asText()).isEqualTo("breached");
        assertThat(breached.path("items").get(0).path("deadline").path("secondsLeft").asLong()).isEqualTo(-30);

        JsonNode detail = ok("GET", "/api/v1/conversations/" + chat.value(), "");
        assertThat(detail.path("nextDeadline").path("state").asText()).isEqualTo("breached");
        assertThat(detail.path("sla")).hasSize(1);
        JsonNode listed = ok("GET", "/api/v1/conversations?status=open", "").path("items").get(0);
        assertThat(listed.path("id").asText()).isEqualTo(chat.value());
        assertThat(listed.path("nextDeadline").path("dueAt").asText())
                .isEqualTo(NINE.plus(Duration.ofMinutes(5)).toString());

        // answered late: met late, no longer breached, nothing to count down to
        ok("POST", "/api/v1/conversations/" + chat.value() + "/reply", "{\"text\":\"Sorry for the wait\"}");
        desk.sla().evaluate(chat);
        assertThat(ok("GET", "/api/v1/sla/breached", "").path("items")).isEmpty();
        JsonNode answered = ok("GET", "/api/v1/conversations/" + chat.value(), "");
        assertThat(answered.path("sla").get(0).path("state").asText()).isEqualTo("met_late");
        assertThat(answered.has("nextDeadline")).isFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A customer writes; their conversation is queued and its SLA deadlines evaluated at once. */
    private ConversationId writeAndQueue(FakeChannel channel, TenantId tenant, String user) throws Exception {
        channel.deliver(channel.text(user, "hello from " + user)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Customer customer = inbox.customerByAccount(channel.account(user).key()).orElseThrow();
        ConversationId id = inbox.conversations(ConversationQuery.builder(tenant).status(ConversationStatus.OPEN)
                        .limit(100).build()).items().stream().filter(c -> c.customer().equals(customer.id()))
                .findFirst().orElseThrow().id();
        TenantInbox t = inbox.forTenant(tenant);
        assertThat(t.routing().route(id)).isEmpty();
        t.sla().evaluate(id);
        return id;
    }

    private JsonNode ok(String method, String pathAndQuery, String body) throws IOException {
        ApiResponse r = call("maria", method, pathAndQuery, body);
        assertThat(r.status()).as(method + " " + pathAndQuery + ": " + r.bodyAsUtf8()).isIn(200, 202);
        return MAPPER.readTree(r.body());
    }

    private ApiResponse call(String agent, String method, String pathAndQuery, String body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        return api.router().handle(method, path, query, body.getBytes(StandardCharsets.UTF_8), Map.of(),
                Optional.of(agent));
    }

    private static JsonNode assertError(ApiResponse r, int status, String code) throws IOException {
        assertThat(r.status()).as(r.bodyAsUtf8()).isEqualTo(status);
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo(code);
        return body;
    }

    private static String message(JsonNode error) {
        return error.path("error").path("message").asText();
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
