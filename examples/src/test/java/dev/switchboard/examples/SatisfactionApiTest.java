package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.content.Content;
import dev.switchboard.examples.api.AgentAuth;
import dev.switchboard.examples.api.ApiResponse;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.survey.SurveyPolicy;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo API's canned responses, complaint marks and surveys, without a server: save and list a canned response,
 * a send refused with 422 naming the missing variable and then sent, a complaint marked and cleared by the logged-in
 * agent, and the survey a resolution sent.
 */
class SatisfactionApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChannelId WEBCHAT = ChannelId.of("webchat");

    private InMemoryInboxStore store;
    private Inbox inbox;
    private ContactCenterApi api;
    private String conversation;

    @BeforeEach
    void inboxWithOneConversation() {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        inbox = Inbox.builder().store(store).identity(identity).channel(webchat).build();
        inbox.start();
        ChannelAccount visitor = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, "v-1", Profile.named("Vera"));
        inbox.sink(TenantId.DEFAULT, WEBCHAT).deliver(InboundEvent.MessageReceived.of("e-1", visitor, Instant.now(),
                "m-1", Content.text("Hello?"))).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.conversations(
                ConversationQuery.all(TenantId.DEFAULT, 1)).items().isEmpty());
        conversation = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 1)).items().get(0).id().value();
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")), Duration.ofHours(1),
                        Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        inbox.close();
        store.close();
    }

    private ApiResponse call(String method, String path, String body) {
        return api.router().handle(method, path, "", body.getBytes(StandardCharsets.UTF_8), Map.of(),
                Optional.of("maria"));
    }

    private static JsonNode json(ApiResponse r, int status) throws IOException {
        assertThat(r.status()).as(r.bodyAsUtf8()).isEqualTo(status);
        return MAPPER.readTree(r.body());
    }

    @Test
    void cannedResponsesAreSavedListedAndSentWithTheirVariables() throws IOException {
        JsonNode saved = json(call("PUT", "/api/v1/canned-responses/hello",
                "{\"title\":\"Greeting\",\"body\":\"Hi {{customer.name}}, this is {{agent.name}}. "
                        + "Your code is {{prompt.code}}.\"}"), 200);
        assertThat(saved.path("prompts").get(0).asText()).isEqualTo("code");
        assertThat(json(call("GET", "/api/v1/canned-responses", ""), 200).path("items")).hasSize(1);
        json(call("PUT", "/api/v1/canned-responses/bad%20code", "{\"body\":\"x\"}"), 400);

        String send = "/api/v1/conversations/" + conversation + "/canned-replies";
        JsonNode missing = json(call("POST", send, "{\"code\":\"hello\"}"), 422);
        assertThat(missing.path("error").path("code").asText()).isEqualTo("missing_variables");
        assertThat(missing.path("error").path("variables").get(0).asText()).isEqualTo("prompt.code");
        JsonNode sent = json(call("POST", send, "{\"code\":\"hello\",\"values\":{\"prompt.code\":\"X-42\"}}"), 202);
        assertThat(sent.toString()).contains("Hi Vera, this is maria. Your code is X-42.");
        json(call("POST", send, "{\"code\":\"nope\"}"), 404);

        json(call("DELETE", "/api/v1/canned-responses/hello", ""), 200);
        json(call("DELETE", "/api/v1/canned-responses/hello", ""), 404);
    }

    @Test
    void complaintsAreMarkedAndClearedAndSurveysListed() throws IOException {
        String path = "/api/v1/conversations/" + conversation;
        // assigned (no reply: this test's chat visitor has no live session, and a failed send marks them away)
        inbox.assign(TenantId.DEFAULT, dev.switchboard.model.ConversationId.of(conversation), "alex");
        JsonNode marked = json(call("PUT", path + "/complaint", ""), 200);
        assertThat(marked.path("complaint").asBoolean()).isTrue();
        assertThat(marked.path("agent").asText()).isEqualTo("alex");
        assertThat(json(call("DELETE", path + "/complaint", ""), 200).path("complaint").asBoolean()).isFalse();
        assertThat(inbox.events(TenantId.DEFAULT, 0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.COMPLAINT_MARKED)
                .map(e -> e.attribute(InboxEvent.Attribute.ACTOR).orElseThrow())).containsExactly("maria");

        inbox.forTenant(TenantId.DEFAULT).surveys().configure(SurveyPolicy.builder().build());
        json(call("POST", path + "/resolve", ""), 200);
        JsonNode surveys = json(call("GET", path + "/surveys", ""), 200);
        assertThat(surveys.path("items")).hasSize(1);
        assertThat(surveys.path("items").get(0).path("agent").asText()).isEqualTo("alex");
        json(call("GET", "/api/v1/conversations/no-such/surveys", ""), 404);
    }
}
