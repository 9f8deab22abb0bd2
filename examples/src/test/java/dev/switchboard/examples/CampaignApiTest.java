package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.examples.api.AgentAuth;
import dev.switchboard.examples.api.ApiResponse;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignSettings;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The campaign endpoints of the demo API: create, list, progress, recipients with their status and skip reason,
 * start, pause, resume, cancel; the 4xx answers for bad input (nothing created or sent); tenant isolation.
 */
class CampaignApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TenantId OTHER = TenantId.of("other-shop");
    private static final Duration WAIT = Duration.ofSeconds(30);

    InMemoryInboxStore store;
    Inbox inbox;
    ContactCenterApi api;
    FakeChannel telegram;
    FakeChannel otherTelegram;
    CustomerId ann;
    CustomerId bob;
    CustomerId cid;
    CustomerId foreigner;

    @BeforeEach
    void inboxWithThreeCustomersTwoConsenting() throws Exception {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        otherTelegram = FakeChannel.of(OTHER, "tg", ChannelType.TELEGRAM,
                dev.switchboard.channel.Capabilities.builder().build());
        inbox = Inbox.builder().store(store).identity(identity).channel(telegram).channel(otherTelegram)
                .campaigns(CampaignSettings.builder().interval(Duration.ofMillis(20)).build()).build();
        inbox.start();
        ann = customer(telegram, "ann", true);
        bob = customer(telegram, "bob", false);
        cid = customer(telegram, "cid", true);
        foreigner = customer(otherTelegram, "olga", true);
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret("test-admin-secret", Set.of("maria")), Duration.ofHours(1),
                        java.time.Clock.systemUTC()));
    }

    private CustomerId customer(FakeChannel channel, String user, boolean consenting) throws Exception {
        channel.deliver(channel.text(user, "hello")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        CustomerId id = inbox.customerByAccount(channel.account(user).key()).orElseThrow().id();
        if (consenting) {
            inbox.forTenant(channel.tenant()).updatePreferences(id,
                    p -> p.withConsent(Consent.MARKETING, true, "web form v1", Instant.now()));
        }
        return id;
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

    private ApiResponse get(String path, String query) {
        return api.router().handle("GET", "/api/v1" + path, query, new byte[0], Map.of(), Optional.of("maria"));
    }

    private static JsonNode json(ApiResponse r, int status) throws IOException {
        assertThat(r.status()).as(r.bodyAsUtf8()).isEqualTo(status);
        return MAPPER.readTree(r.body());
    }

    private static String code(JsonNode error) {
        return error.path("error").path("code").asText();
    }

    private String create(String id, boolean start) {
        return "{\"id\":\"" + id + "\",\"text\":\"Spring sale\",\"purpose\":\"marketing\",\"start\":" + start
                + ",\"audience\":{\"customers\":[\"" + ann.value() + "\",\"" + bob.value() + "\",\""
                + cid.value() + "\"]}}";
    }

    @Test
    void aCampaignRunsToTheConsentingCustomersAndShowsProgressAndRecipients() throws IOException {
        JsonNode created = json(call("POST", "/campaigns", create("spring", true)), 201);
        assertThat(created.path("state").asText()).isEqualTo("running");
        assertThat(created.path("progress").path("total").asLong()).isEqualTo(3);
        await().atMost(WAIT).until(() -> json(call("GET", "/campaigns/spring", ""), 200).path("state").asText()
                .equals("completed"));
        JsonNode done = json(call("GET", "/campaigns/spring", ""), 200);
        assertThat(done.path("text").asText()).isEqualTo("Spring sale");
        assertThat(done.path("progress").path("byStatus").path("sent").asLong()).isEqualTo(2);
        assertThat(done.path("progress").path("byStatus").path("skipped").asLong()).isEqualTo(1);
        assertThat(done.path("progress").path("skipped").path("no_consent").asLong()).isEqualTo(1);
        assertThat(done.path("progress").path("remaining").asLong()).isZero();
        assertThat(telegram.sent()).hasSize(2);

        JsonNode all = json(get("/campaigns/spring/recipients", ""), 200);
        assertThat(all.path("items")).hasSize(3);
        assertThat(all.path("items")).anySatisfy(r -> {
            assertThat(r.path("customer").asText()).isEqualTo(bob.value());
            assertThat(r.path("status").asText()).isEqualTo("skipped");
            assertThat(r.path("skipReason").asText()).isEqualTo("no_consent");
        });
        JsonNode sentPage = json(get("/campaigns/spring/recipients", "status=sent&limit=1"), 200);
        assertThat(sentPage.path("items")).hasSize(1);
        assertThat(sentPage.path("items").get(0).path("channel").asText()).isEqualTo("tg");
        JsonNode second = json(get("/campaigns/spring/recipients", "status=sent&limit=1&after="
                + sentPage.path("next").asText()), 200);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("items").get(0).path("customer").asText())
                .isNotEqualTo(sentPage.path("items").get(0).path("customer").asText());

        JsonNode list = json(call("GET", "/campaigns", ""), 200);
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("items").get(0).path("id").asText()).isEqualTo("spring");
    }

    @Test
    void startPauseResumeAndCancelFollowTheCampaignsStates() throws IOException {
        assertThat(json(call("POST", "/campaigns", create("held", false)), 201).path("state").asText())
                .isEqualTo("ready");
        assertThat(code(json(call("POST", "/campaigns/held/pause", ""), 409))).isEqualTo("invalid_state");
        assertThat(code(json(call("POST", "/campaigns/held/resume", ""), 409))).isEqualTo("invalid_state");
        assertThat(telegram.sent()).isEmpty();
        JsonNode cancelled = json(call("POST", "/campaigns/held/cancel", ""), 200);
        assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("progress").path("skipped").path("cancelled").asLong()).isEqualTo(3);
        assertThat(code(json(call("POST", "/campaigns/held/start", ""), 409))).isEqualTo("invalid_state");
        assertThat(telegram.sent()).isEmpty();

        json(call("POST", "/campaigns", create("pausable", false)), 201);
        // paused and resumed through the API (the campaign may already have finished sending by the resume)
        json(call("POST", "/campaigns/pausable/start", ""), 200);
        ApiResponse paused = call("POST", "/campaigns/pausable/pause", "");
        if (paused.status() == 200) {
            assertThat(json(paused, 200).path("state").asText()).isEqualTo("paused");
            assertThat(json(call("POST", "/campaigns/pausable/resume", ""), 200).path("state").asText())
                    .isEqualTo("running");
        } else {
            assertThat(code(json(paused, 409))).isEqualTo("invalid_state"); // already completed
        }
        await().atMost(WAIT).until(() -> json(call("GET", "/campaigns/pausable", ""), 200).path("state").asText()
                .equals("completed"));
        assertThat(json(call("GET", "/campaigns", ""), 200).path("items")).extracting(n -> n.path("id").asText())
                .containsExactlyInAnyOrder("held", "pausable");
    }

    @Test
    void badCampaignsAreRefusedAndNothingIsCreatedOrSent() throws IOException {
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"x\",\"text\":\"hi\",\"audience\":{\"segment\":"
                + "\"all\"}}"), 400))).isEqualTo("invalid_request");
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"x\",\"text\":\"hi\",\"purpose\":\"lottery\","
                + "\"audience\":{\"segment\":\"all\"}}"), 400))).isEqualTo("unknown_purpose");
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"x\",\"text\":\"hi\",\"purpose\":\"marketing\"}"),
                400))).isEqualTo("invalid_request");
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"x\",\"purpose\":\"marketing\",\"audience\":"
                + "{\"segment\":\"all\"}}"), 400))).isEqualTo("invalid_request");
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"x\",\"text\":\"hi\",\"purpose\":\"marketing\","
                + "\"audience\":{\"customers\":[\"" + bob.value() + "\"]}}"), 422)))
                .isEqualTo("no_consenting_recipients");
        json(call("POST", "/campaigns", create("once", false)), 201);
        assertThat(code(json(call("POST", "/campaigns", create("once", false)), 409))).isEqualTo("campaign_exists");
        assertThat(inbox.forTenant(TenantId.DEFAULT).campaigns().campaign(CampaignId.of("x"))).isEmpty();
        assertThat(code(json(call("GET", "/campaigns/nope", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(call("POST", "/campaigns/nope/start", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(get("/campaigns/once/recipients", "status=bogus"), 400))).isEqualTo("invalid_request");
        assertThat(code(json(get("/campaigns/once/recipients", "after=x"), 400))).isEqualTo("invalid_request");
        assertThat(telegram.sent()).isEmpty();
    }

    @Test
    void anotherTenantsCampaignsAndCustomersAreNotSeenOrReached() throws IOException {
        inbox.forTenant(OTHER).campaigns().create(dev.switchboard.inbox.campaign.Campaign.builder(
                        CampaignId.of("foreign")).content(dev.switchboard.content.Content.text("x"))
                .purpose(Consent.MARKETING).audience(dev.switchboard.inbox.campaign.Audience.customers(
                        java.util.List.of(foreigner))).build());
        assertThat(json(call("GET", "/campaigns", ""), 200).path("items")).isEmpty();
        assertThat(code(json(call("GET", "/campaigns/foreign", ""), 404))).isEqualTo("not_found");
        assertThat(code(json(call("POST", "/campaigns/foreign/start", ""), 404))).isEqualTo("not_found");
        // the other tenant's consenting customer is unknown here: nobody of this tenant consented in that audience
        assertThat(code(json(call("POST", "/campaigns", "{\"id\":\"reach-out\",\"text\":\"hi\",\"purpose\":"
                + "\"marketing\",\"audience\":{\"customers\":[\"" + foreigner.value() + "\"]}}"), 422)))
                .isEqualTo("no_consenting_recipients");
        // a segment of everyone reaches only this tenant's consenting customers
        json(call("POST", "/campaigns", "{\"id\":\"all\",\"text\":\"hi\",\"purpose\":\"marketing\",\"start\":true,"
                + "\"audience\":{\"segment\":\"all\"}}"), 201);
        await().atMost(WAIT).until(() -> json(call("GET", "/campaigns/all", ""), 200).path("state").asText()
                .equals("completed"));
        assertThat(telegram.sent()).hasSize(2);
        assertThat(otherTelegram.sent()).isEmpty();
    }
}
