package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Content;
import dev.switchboard.examples.api.ApiResponse;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.examples.api.Router;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.channel.webchat.WebchatChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST API's contract without a server: every route is documented in {@code docs/openapi.yaml} (and every
 * documented operation is routed), and every error is JSON {@code {"error":{"code","message"}}} with the right status.
 */
class ContactCenterApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChannelId WEBCHAT = ChannelId.of("webchat");

    static InMemoryInboxStore store;
    static Inbox inbox;
    static ContactCenterApi api;
    static String conversationId;

    @BeforeAll
    static void inboxWithOneConversation() {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        inbox = Inbox.builder().store(store).identity(identity).channel(webchat).build();
        inbox.start();
        ChannelAccount visitor = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, "v-1", Profile.named("Visitor"));
        inbox.sink(TenantId.DEFAULT, WEBCHAT).deliver(InboundEvent.MessageReceived.of("e-1", visitor, Instant.now(),
                "m-1", Content.text("Hello?"))).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.messages(inbox.conversations(
                dev.switchboard.store.ConversationQuery.all(TenantId.DEFAULT, 1)).items().get(0).id()).isEmpty());
        conversationId = inbox.conversations(dev.switchboard.store.ConversationQuery.all(TenantId.DEFAULT, 1))
                .items().get(0).id().value();
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new dev.switchboard.examples.api.AgentAuth(dev.switchboard.examples.api.AgentAuth.sharedSecret(
                        "test-admin-secret", Set.of("maria")), Duration.ofHours(1), java.time.Clock.systemUTC()));
    }

    @AfterAll
    static void close() {
        inbox.close();
        store.close();
    }

    @Test
    void everyRouteIsDocumentedInTheOpenApiFileAndNothingElseIs() throws IOException {
        Set<String> documented = documentedOperations();
        Set<String> routed = new LinkedHashSet<>();
        for (Router.RouteSpec r : api.router().routes()) {
            routed.add(r.method() + " " + r.template());
        }
        assertThat(routed).isNotEmpty();
        assertThat(documented).as("operations in docs/openapi.yaml").containsExactlyInAnyOrderElementsOf(routed);
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() throws IOException {
        assertError(call("GET", "/api/v1/nope", ""), 404, "not_found");
        assertError(call("DELETE", "/api/v1/conversations", ""), 405, "method_not_allowed");
        assertError(call("GET", "/api/v1/conversations/no-such-id", ""), 404, "not_found");
        assertError(call("GET", "/api/v1/customers/no-such-id", ""), 404, "not_found");
        assertError(call("GET", "/api/v1/demo/scenario", ""), 404, "not_found");
    }

    @Test
    void badParametersAreClearBadRequests() throws IOException {
        JsonNode status = assertError(call("GET", "/api/v1/conversations?status=bogus", ""), 400, "invalid_request");
        assertThat(status.path("error").path("message").asText()).contains("bogus");
        assertError(call("GET", "/api/v1/conversations?limit=0", ""), 400, "invalid_request");
        assertError(call("GET", "/api/v1/conversations?limit=ten", ""), 400, "invalid_request");
        assertError(call("GET", "/api/v1/events?after=-1", ""), 400, "invalid_request");
    }

    @Test
    void malformedBodiesAreClearBadRequests() throws IOException {
        String reply = "/api/v1/conversations/" + conversationId + "/reply";
        JsonNode broken = assertError(call("POST", reply, "{\"text\": "), 400, "invalid_request");
        assertThat(broken.path("error").path("message").asText()).contains("not valid JSON");
        assertError(call("POST", reply, "[1,2]"), 400, "invalid_request");
        JsonNode missing = assertError(call("POST", reply, "{}"), 400, "invalid_request");
        assertThat(missing.path("error").path("message").asText()).contains("'text'");
        assertError(call("POST", reply, "{\"text\":\"hi\",\"channel\":\"no-such-channel\"}"), 400, "invalid_request");
        assertError(call("POST", "/api/v1/conversations/" + conversationId + "/assign", "{}"), 400,
                "invalid_request");
        assertError(call("POST", "/api/v1/suggestions/s-1/decision", "{\"accept\":\"yes\"}"), 400, "invalid_request");
        assertError(call("POST", "/api/v1/suggestions/s-1/decision", "{\"accept\":true}"), 404, "not_found");
    }

    @Test
    void conversationsCanBeListedAssignedAndResolved() throws IOException {
        JsonNode list = json(call("GET", "/api/v1/conversations?status=open,pending", ""), 200);
        assertThat(list.path("items")).anySatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(conversationId));

        JsonNode assigned = json(call("POST", "/api/v1/conversations/" + conversationId + "/assign",
                "{\"agent\":\"maria\"}"), 200);
        assertThat(assigned.path("assignee").asText()).isEqualTo("maria");
        JsonNode byAssignee = json(call("GET", "/api/v1/conversations?assignee=maria", ""), 200);
        assertThat(byAssignee.path("items")).hasSize(1);

        JsonNode resolved = json(call("POST", "/api/v1/conversations/" + conversationId + "/resolve", ""), 200);
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(json(call("GET", "/api/v1/conversations?status=open", ""), 200).path("items")).isEmpty();

        JsonNode detail = json(call("GET", "/api/v1/conversations/" + conversationId, ""), 200);
        assertThat(detail.path("messages")).hasSize(1);
        assertThat(detail.path("messages").get(0).path("text").asText()).isEqualTo("Hello?");
    }

    @Test
    void theOpenApiDocumentIsServed() {
        ApiResponse r = api.router().handle("GET", "/api/v1/openapi.yaml", "", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/yaml");
        assertThat(r.bodyAsUtf8()).startsWith("openapi: 3.0");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    @Test
    void anAccountWhoseCustomerBlockedUsShowsItAndWritingAgainClearsIt() throws IOException {
        InMemoryInboxStore own = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        Inbox blockedInbox = Inbox.builder().store(own).identity(identity).channel(webchat).build();
        blockedInbox.start();
        try {
            ContactCenterApi ownApi = new ContactCenterApi(blockedInbox, own, identity, TenantId.DEFAULT, Map.of(),
                    Map.of(), Optional.empty(), new dev.switchboard.examples.api.AgentAuth(
                    dev.switchboard.examples.api.AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")),
                    Duration.ofHours(1), java.time.Clock.systemUTC()));
            var sink = blockedInbox.sink(TenantId.DEFAULT, WEBCHAT);
            ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, "v-blocker",
                    Profile.named("Blocker"));
            sink.deliver(InboundEvent.MessageReceived.of("b-1", account, Instant.now(), "bm-1", Content.text("Hi")))
                    .toCompletableFuture().join();
            sink.deliver(new InboundEvent.AccountUpdate("b-2", account, Instant.now(),
                    InboundEvent.AccountUpdate.Kind.BLOCKED_US, List.of())).toCompletableFuture().join();
            String path = "/api/v1/customers/" + blockedInbox.customerByAccount(account.key()).orElseThrow().id()
                    .value();

            JsonNode blocked = json(ownApi.router().handle("GET", path, "", new byte[0], Map.of(), Optional.of("maria")), 200).path("accounts")
                    .get(0);
            assertThat(blocked.path("blockedUs").asBoolean()).isTrue();
            assertThat(blocked.path("blockedUsReason").asText()).startsWith("BLOCKED_US@");
            assertThat(blocked.path("blocked").asBoolean()).as("not blocked by an agent").isFalse();

            sink.deliver(InboundEvent.MessageReceived.of("b-3", account, Instant.now(), "bm-3",
                    Content.text("I am back"))).toCompletableFuture().join();
            JsonNode cleared = json(ownApi.router().handle("GET", path, "", new byte[0], Map.of(), Optional.of("maria")), 200).path("accounts")
                    .get(0);
            assertThat(cleared.path("blockedUs").asBoolean()).isFalse();
            assertThat(cleared.has("blockedUsReason")).isFalse();
        } finally {
            blockedInbox.close();
            own.close();
        }
    }

    @Test
    void anAssignmentBeyondAnAgentsCapacityIsAConflictWhenTheTenantRoutes() throws IOException {
        InMemoryInboxStore routed = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        try (Inbox desk = Inbox.builder().store(routed).identity(identity).channel(webchat).build()) {
            desk.start();
            var routing = desk.forTenant(TenantId.DEFAULT).routing();
            routing.configure(dev.switchboard.inbox.routing.RoutingSettings.builder()
                    .router(dev.switchboard.inbox.routing.Router.manual()).build());
            routing.register(dev.switchboard.inbox.routing.Agent.builder("maria").capacity(1).build());
            List<String> ids = new java.util.ArrayList<>();
            for (String user : List.of("v-1", "v-2")) {
                ChannelAccount visitor = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, user, Profile.named(user));
                desk.sink(TenantId.DEFAULT, WEBCHAT).deliver(InboundEvent.MessageReceived.of("e-" + user, visitor,
                        Instant.now(), "m-" + user, Content.text("Hello?"))).toCompletableFuture().join();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> desk.conversations(
                    dev.switchboard.store.ConversationQuery.all(TenantId.DEFAULT, 10)).items().size() == 2);
            desk.conversations(dev.switchboard.store.ConversationQuery.all(TenantId.DEFAULT, 10)).items()
                    .forEach(c -> ids.add(c.id().value()));
            ContactCenterApi routedApi = new ContactCenterApi(desk, routed, identity, TenantId.DEFAULT, Map.of(),
                    Map.of(), Optional.empty(), new dev.switchboard.examples.api.AgentAuth(
                    dev.switchboard.examples.api.AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")),
                    Duration.ofHours(1), java.time.Clock.systemUTC()));
            java.util.function.Function<String, ApiResponse> assignToMaria = id -> routedApi.router().handle("POST",
                    "/api/v1/conversations/" + id + "/assign", "", "{\"agent\":\"maria\"}"
                            .getBytes(StandardCharsets.UTF_8), Map.of(), Optional.of("maria"));

            assertThat(json(assignToMaria.apply(ids.get(0)), 200).path("assignee").asText()).isEqualTo("maria");
            JsonNode refused = assertError(assignToMaria.apply(ids.get(1)), 409, "assignment_refused");
            assertThat(refused.path("error").path("message").asText()).contains("maria").contains(ids.get(1));
            assertThat(routing.conversationsOf("maria")).hasSize(1);
        } finally {
            routed.close();
        }
    }

    private static ApiResponse call(String method, String pathAndQuery, String body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        return api.router().handle(method, path, query, body.getBytes(StandardCharsets.UTF_8), Map.of(),
                Optional.of("maria"));
    }

    private static JsonNode json(ApiResponse r, int status) throws IOException {
        assertThat(r.status()).as(r.bodyAsUtf8()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        return MAPPER.readTree(r.body());
    }

    private static JsonNode assertError(ApiResponse r, int status, String code) throws IOException {
        JsonNode body = json(r, status);
        assertThat(body.path("error").path("code").asText()).isEqualTo(code);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
        return body;
    }

    /** "METHOD /path" for every operation under {@code paths:} in docs/openapi.yaml. */
    static Set<String> documentedOperations() throws IOException {
        Path file = Path.of("..", "docs", "openapi.yaml");
        if (!Files.exists(file)) {
            file = Path.of("docs", "openapi.yaml");
        }
        Pattern pathLine = Pattern.compile("^  (/\\S*):\\s*$");
        Pattern methodLine = Pattern.compile("^    (get|put|post|delete|patch|head|options):\\s*$");
        Set<String> ops = new LinkedHashSet<>();
        boolean inPaths = false;
        String current = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.equals("paths:")) {
                inPaths = true;
                continue;
            }
            if (inPaths && !line.isEmpty() && !line.startsWith(" ")) {
                break;
            }
            if (!inPaths) {
                continue;
            }
            Matcher p = pathLine.matcher(line);
            if (p.matches()) {
                current = p.group(1);
                continue;
            }
            Matcher m = methodLine.matcher(line);
            if (m.matches() && current != null) {
                ops.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + current);
            }
        }
        return ops;
    }
}
