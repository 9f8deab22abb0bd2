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
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The export, erasure and transcript endpoints of the demo API: answers, errors, and the agent as the actor. */
class PrivacyApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChannelId WEBCHAT = ChannelId.of("webchat");

    InMemoryInboxStore store;
    Inbox inbox;
    ContactCenterApi api;
    String customerId;
    String conversationId;

    @BeforeEach
    void inboxWithOneVisitor() {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        inbox = Inbox.builder().store(store).identity(identity).channel(webchat).build();
        inbox.start();
        ChannelAccount visitor = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, "v-1", Profile.named("Olga Visitor"));
        inbox.sink(TenantId.DEFAULT, WEBCHAT).deliver(InboundEvent.MessageReceived.of("e-1", visitor, Instant.now(),
                "m-1", Content.text("Where is my parcel?"))).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.customerByAccount(
                new AccountKey(TenantId.DEFAULT, WEBCHAT, "v-1")).isPresent());
        customerId = inbox.customerByAccount(new AccountKey(TenantId.DEFAULT, WEBCHAT, "v-1")).orElseThrow().id()
                .value();
        conversationId = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 1)).items().get(0).id().value();
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")), Duration.ofHours(1),
                        java.time.Clock.systemUTC()));
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
    void exportAnswersAZipWithTheCustomersData() throws IOException {
        ApiResponse r = call("GET", "/api/v1/customers/" + customerId + "/export", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/zip");
        assertThat(r.headers().get("Content-Disposition").get(0)).startsWith("attachment;");
        List<String> names = new ArrayList<>();
        String messages = "";
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
                if (e.getName().equals("messages.json")) {
                    messages = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(names).contains("summary.txt", "customer.json", "messages.json");
        assertThat(messages).contains("Where is my parcel?");
        assertThat(json(call("GET", "/api/v1/customers/nobody/export", ""), 404).path("error").path("code")
                .asText()).isEqualTo("not_found");
    }

    @Test
    void eraseAnswersTheRecordWithTheAgentAsActorAndIsIdempotent() throws IOException {
        JsonNode record = json(call("POST", "/api/v1/customers/" + customerId + "/erase", ""), 200);
        assertThat(record.path("actor").asText()).isEqualTo("maria");
        assertThat(record.path("messages").asLong()).isEqualTo(1);
        assertThat(record.path("completedAt").asText()).isNotBlank();
        assertThat(json(call("POST", "/api/v1/customers/" + customerId + "/erase", ""), 200)).isEqualTo(record);
        assertThat(inbox.customer(TenantId.DEFAULT, dev.switchboard.model.CustomerId.of(customerId)).orElseThrow()
                .displayName()).isEmpty();
        assertThat(json(call("POST", "/api/v1/customers/nobody/erase", ""), 404).path("error").path("code")
                .asText()).isEqualTo("not_found");
        assertThat(json(call("GET", "/api/v1/customers/" + customerId + "/erasure", ""), 200)).isEqualTo(record);
        assertThat(json(call("GET", "/api/v1/customers/nobody/erasure", ""), 404).path("error").path("code")
                .asText()).isEqualTo("not_found");
    }

    @Test
    void transcriptRefusesABadAddressAndATenantWithoutEmail() throws IOException {
        String path = "/api/v1/conversations/" + conversationId + "/transcript";
        assertThat(json(call("POST", path, "{}"), 400).path("error").path("code").asText())
                .isEqualTo("invalid_request");
        assertThat(json(call("POST", path, "{\"email\":\"not an address\"}"), 400).path("error").path("message")
                .asText()).contains("not an address");
        assertThat(json(call("POST", path, "{\"email\":\"olga@example.org\"}"), 409).path("error").path("code")
                .asText()).isEqualTo("no_email_channel");
    }
}
