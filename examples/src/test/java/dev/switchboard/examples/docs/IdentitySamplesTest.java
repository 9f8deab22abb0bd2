package dev.switchboard.examples.docs;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Content;
import dev.switchboard.identity.GivenNames;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.identity.Resolution;
import dev.switchboard.identity.SignedDeepLinks;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/identity.md, verbatim between the markers (see {@link DocSamplesTest}). */
class IdentitySamplesTest {

    private static final TenantId TENANT = TenantId.of("flower-shop");
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryStore store = new InMemoryStore();
    private final InboundEvent.MessageReceived event = InboundEvent.MessageReceived.of("e1",
            ChannelAccount.of(TENANT, ChannelId.of("telegram"), "42", Profile.named("Анна Петрова")),
            clock.instant(), "p1", Content.text("hello"));

    private static SignedDeepLinks links(TenantId tenant) {
        return SignedDeepLinks.builder().secret(tenant, secret()).build();
    }

    private static byte[] secret() {
        return "a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void resolvingAnAccount() {
        SignedDeepLinks links = links(TENANT);
        // ---- doc snippet begins
        IdentityEngine engine = IdentityEngine.builder()
                .defaultRegion("RU")            // phones written without a country code; default "ZZ" = international only
                .clock(clock)                   // default system UTC
                .suggestionThreshold(0.75)      // minimum name-similarity score for a suggestion
                .commonNameCustomers(8)         // a name shape shared by more customers than this raises no name suggestions
                .sharedPointCustomers(8)        // a contact point held by more customers than this neither merges nor suggests
                .givenNames(GivenNames.standard()) // given names and diminutives for name matching (the shipped Russian table)
                .deepLinks(links)               // SignedDeepLinks: verifies host-signed deep-link tokens; default none
                .gmailDotsInsensitive(false)    // j.doe@gmail.com == jdoe@gmail.com; default off
                .build();                       // options are checked here (unknown region, threshold outside (0,1])

        Resolution r = store.inTransaction(tx -> engine.resolve(tx, event.account(), event.evidence()));
        r.customer();      // canonical customer after any automatic merge
        r.created();       // first time we see this account
        r.merges();        // MergeRecords this event caused
        r.suggestions();   // MergeSuggestions this event raised for an agent
        // ---- doc snippet ends
        assertThat(r.created()).isTrue();
        assertThat(r.customer().displayName()).contains("Анна Петрова");
    }

    @Test
    void preparingOutsideTheTransaction() {
        IdentityEngine engine = IdentityEngine.builder().clock(clock).build();
        // ---- doc snippet begins
        PreparedAccount p = engine.prepare(event.account(), event.evidence());   // no transaction, thread-safe
        Resolution r = store.inTransaction(tx -> engine.resolve(tx, p));        // same decisions, only store work left
        // ---- doc snippet ends
        assertThat(r.created()).isTrue();
    }

    @Test
    void signedDeepLinks() {
        TenantId tenant = TENANT;
        byte[] secretBytes = secret();
        String botName = "flower_shop_bot";
        // ---- doc snippet begins
        SignedDeepLinks links = SignedDeepLinks.builder()
                .secret(tenant, secretBytes)            // per tenant, at least 32 random bytes
                .maxTimeToLive(Duration.ofHours(1))     // mint() refuses longer; default one day
                .build();
        String token = links.mint(tenant, "user-42", Duration.ofMinutes(15));
        String url = "https://t.me/" + botName + "?start=" + token;   // or a VK ref, a Viber context, a webchat parameter
        IdentityEngine engine = IdentityEngine.builder().deepLinks(links).build();
        // ---- doc snippet ends
        assertThat(links.verify(tenant, token)).contains("user-42");
        assertThat(url).startsWith("https://t.me/flower_shop_bot?start=");
        assertThat(engine).isNotNull();
    }
}
