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
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The preference and consent endpoints of the demo API: reading and setting preferences, reading the ledger,
 * granting and withdrawing with evidence, the 4xx answers for bad input (nothing written), and tenant isolation.
 */
class ConsentApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChannelId WEBCHAT = ChannelId.of("webchat");
    private static final TenantId OTHER = TenantId.of("other-shop");

    InMemoryInboxStore store;
    Inbox inbox;
    ContactCenterApi api;
    CustomerId customer;
    CustomerId foreigner;
    String messageId;

    @BeforeEach
    void inboxWithAVisitorInEachTenant() {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        inbox = Inbox.builder().store(store).identity(identity)
                .channel(WebchatChannel.builder().id(WEBCHAT).tokenSecret(secret).build())
                .channel(WebchatChannel.builder().id(WEBCHAT).tenant(OTHER).tokenSecret(secret).build())
                .build();
        inbox.start();
        customer = visitor(TenantId.DEFAULT, "v-1", "Olga Visitor");
        foreigner = visitor(OTHER, "v-9", "Someone Else");
        messageId = inbox.messages(TenantId.DEFAULT, inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 1))
                .items().get(0).id()).get(0).id().value();
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")), Duration.ofHours(1),
                        java.time.Clock.systemUTC()));
    }

    private CustomerId visitor(TenantId tenant, String user, String name) {
        ChannelAccount account = ChannelAccount.of(tenant, WEBCHAT, user, Profile.named(name));
        inbox.sink(tenant, WEBCHAT).deliver(InboundEvent.MessageReceived.of("e-" + user, account, Instant.now(),
                "m-" + user, Content.text("Hello"))).toCompletableFuture().join();
        AccountKey key = new AccountKey(tenant, WEBCHAT, user);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox.customerByAccount(key).isPresent());
        return inbox.customerByAccount(key).orElseThrow().id();
    }

    @AfterEach
    void close() {
        inbox.close();
        store.close();
    }

    private ApiResponse call(String method, String path, String body) {
        return api.router().handle(method, "/api/v1" + path, "", body.getBytes(StandardCharsets.UTF_8), Map.of(),
                Optional.of("maria"));
    }

    private static JsonNode json(ApiResponse r, int status) throws IOException {
        assertThat(r.status()).as(r.bodyAsUtf8()).isEqualTo(status);
        return MAPPER.readTree(r.body());
    }

    private static String code(JsonNode error) {
        return error.path("error").path("code").asText();
    }

    private String prefs() {
        return "/customers/" + customer.value() + "/preferences";
    }

    private String consents() {
        return "/customers/" + customer.value() + "/consents";
    }

    @Test
    void preferencesAreReadAndSetAndFieldsLeftOutStayAsTheyWere() throws IOException {
        JsonNode empty = json(call("GET", prefs(), ""), 200);
        assertThat(empty.path("preferredChannels")).isEmpty();
        assertThat(empty.path("quietHours").isNull()).isTrue();
        assertThat(empty.path("language").isNull()).isTrue();

        JsonNode set = json(call("PUT", prefs(), """
                {"preferredChannels":["webchat"],"quietHours":{"from":"22:00","to":"08:00","zone":"Europe/Moscow"},
                 "language":"ru"}"""), 200);
        assertThat(set.path("preferredChannels").get(0).asText()).isEqualTo("webchat");
        assertThat(set.path("quietHours").path("zone").asText()).isEqualTo("Europe/Moscow");
        var stored = inbox.customer(TenantId.DEFAULT, customer).orElseThrow().preferences();
        assertThat(stored.preferredChannels()).containsExactly(ChannelType.WEBCHAT);
        assertThat(stored.quietHours().orElseThrow().from()).isEqualTo(LocalTime.of(22, 0));
        assertThat(stored.quietHours().orElseThrow().zone()).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(stored.language()).contains("ru");

        // only the language changes; quiet hours cleared with null; the GET reads what was stored
        json(call("PUT", prefs(), "{\"language\":\"en-GB\",\"quietHours\":null}"), 200);
        JsonNode read = json(call("GET", prefs(), ""), 200);
        assertThat(read.path("language").asText()).isEqualTo("en-GB");
        assertThat(read.path("quietHours").isNull()).isTrue();
        assertThat(read.path("preferredChannels").get(0).asText()).isEqualTo("webchat");

        json(call("PUT", prefs(), "{\"preferredChannels\":[],\"doNotContact\":[\"webchat\"]}"), 200);
        assertThat(inbox.customer(TenantId.DEFAULT, customer).orElseThrow().preferences().allows(ChannelType.WEBCHAT))
                .isFalse();
    }

    @Test
    void badPreferencesAreRefusedNamingTheFieldAndChangeNothing() throws IOException {
        json(call("PUT", prefs(), "{\"language\":\"ru\"}"), 200);
        assertThat(code(json(call("PUT", prefs(), "{\"language\":\"de\",\"quietHours\":{\"from\":\"22:00\","
                + "\"to\":\"08:00\",\"zone\":\"Mars/Olympus\"}}"), 400))).isEqualTo("invalid_zone");
        assertThat(json(call("PUT", prefs(), "{\"quietHours\":{\"from\":\"25:00\",\"to\":\"08:00\","
                + "\"zone\":\"UTC\"}}"), 400).path("error").path("message").asText()).contains("quietHours.from");
        assertThat(code(json(call("PUT", prefs(), "{\"preferredChannels\":[\"pigeon\"]}"), 400)))
                .isEqualTo("unknown_channel_type");
        assertThat(code(json(call("PUT", prefs(), "{\"preferredChannels\":[\"webchat\"],"
                + "\"doNotContact\":[\"webchat\"]}"), 400))).isEqualTo("contradictory_preferences");
        assertThat(code(json(call("PUT", prefs(), "{\"language\":\"not a tag!\"}"), 400)))
                .isEqualTo("invalid_request");
        assertThat(code(json(call("PUT", prefs(), "[1]"), 400))).isEqualTo("invalid_request");
        var p = inbox.customer(TenantId.DEFAULT, customer).orElseThrow().preferences();
        assertThat(p.language()).contains("ru");
        assertThat(p.quietHours()).isEmpty();
        assertThat(p.preferredChannels()).isEmpty();
        assertThat(code(json(call("GET", "/customers/nobody/preferences", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(call("PUT", "/customers/nobody/preferences", "{}"), 404))).isEqualTo("not_found");
    }

    @Test
    void aGrantAndAWithdrawalWithEvidenceAreInTheLedgerAndInForce() throws IOException {
        JsonNode granted = json(call("POST", consents(), """
                {"purpose":"marketing","granted":true,"source":"web-form",
                 "evidence":{"kind":"web_form","reference":"newsletter-signup","textVersion":"v3"}}"""), 201);
        assertThat(granted.path("evidence").path("kind").asText()).isEqualTo("web_form");
        assertThat(granted.path("evidence").path("textVersion").asText()).isEqualTo("v3");
        assertThat(inbox.forTenant(TenantId.DEFAULT).consent().hasConsent(customer, Consent.MARKETING,
                ChannelType.WEBCHAT)).isTrue();

        json(call("POST", consents(), "{\"purpose\":\"surveys\",\"granted\":true,\"channelType\":\"webchat\","
                + "\"evidence\":{\"kind\":\"message\",\"reference\":\"" + messageId + "\"}}"), 201);
        JsonNode withdrawn = json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":false}"), 201);
        assertThat(withdrawn.path("source").asText()).isEqualTo("agent");
        assertThat(withdrawn.path("evidence").path("kind").asText()).isEqualTo("agent");
        assertThat(withdrawn.path("evidence").path("reference").asText()).isEqualTo("maria");

        JsonNode ledger = json(call("GET", consents(), ""), 200);
        assertThat(ledger.path("entries")).hasSize(3);
        assertThat(ledger.path("entries").get(0).path("purpose").asText()).isEqualTo("marketing");
        assertThat(ledger.path("entries").get(1).path("channelType").asText()).isEqualTo("webchat");
        assertThat(ledger.path("inForce").path("marketing").path("webchat").asBoolean()).isFalse();
        assertThat(ledger.path("inForce").path("surveys").path("webchat").asBoolean()).isTrue();
        assertThat(ledger.path("inForce").path("service").path("webchat").asBoolean()).isFalse();
    }

    @Test
    void badConsentRequestsAreRefusedAndRecordNothing() throws IOException {
        assertThat(code(json(call("POST", consents(), "{\"purpose\":\"lottery\",\"granted\":true}"), 400)))
                .isEqualTo("unknown_purpose");
        assertThat(code(json(call("POST", consents(), "{\"purpose\":\"platform\",\"granted\":true}"), 400)))
                .isEqualTo("unknown_purpose");
        assertThat(code(json(call("POST", consents(), "{\"granted\":true}"), 400))).isEqualTo("invalid_request");
        assertThat(code(json(call("POST", consents(), "{\"purpose\":\"marketing\"}"), 400)))
                .isEqualTo("invalid_request");
        assertThat(code(json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":true,"
                + "\"channelType\":\"pigeon\"}"), 400))).isEqualTo("unknown_channel_type");
        assertThat(json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":true,"
                + "\"evidence\":{\"kind\":\"web_form\",\"reference\":\"signup\"}}"), 400).path("error")
                .path("message").asText()).contains("evidence.textVersion");
        assertThat(json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":true,"
                + "\"evidence\":{\"kind\":\"merge\",\"reference\":\"x\"}}"), 400).path("error").path("message")
                .asText()).contains("evidence.kind");
        assertThat(json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":true,"
                + "\"evidence\":{\"kind\":\"message\",\"reference\":\"not-a-message\"}}"), 400).path("error")
                .path("message").asText()).contains("no message not-a-message");
        assertThat(code(json(call("POST", "/customers/nobody/consents",
                "{\"purpose\":\"marketing\",\"granted\":true}"), 404))).isEqualTo("not_found");
        assertThat(json(call("GET", consents(), ""), 200).path("entries")).isEmpty();
    }

    @Test
    void anotherTenantsCustomerIsUnknownHereAndTheirMessageIsNoEvidence() throws IOException {
        String foreignMessage = inbox.messages(OTHER, inbox.conversations(ConversationQuery.all(OTHER, 1)).items()
                .get(0).id()).get(0).id().value();
        String path = "/customers/" + foreigner.value();
        assertThat(code(json(call("GET", path + "/preferences", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(call("PUT", path + "/preferences", "{\"language\":\"ru\"}"), 404)))
                .isEqualTo("not_found");
        assertThat(code(json(call("GET", path + "/consents", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(call("POST", path + "/consents", "{\"purpose\":\"marketing\",\"granted\":true}"),
                404))).isEqualTo("not_found");
        assertThat(code(json(call("POST", consents(), "{\"purpose\":\"marketing\",\"granted\":true,"
                + "\"evidence\":{\"kind\":\"message\",\"reference\":\"" + foreignMessage + "\"}}"), 400)))
                .isEqualTo("invalid_request");
        assertThat(inbox.forTenant(OTHER).consent().history(foreigner)).isEmpty();
        assertThat(inbox.customer(OTHER, foreigner).orElseThrow().preferences().language()).isEmpty();
    }
}
