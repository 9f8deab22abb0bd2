package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignProgress;
import dev.switchboard.inbox.campaign.CampaignSettings;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.UnsubscribeEndpoint;
import dev.switchboard.inbox.campaign.UnsubscribeTokens;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.TenantId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples of docs/campaigns.md, verbatim between the markers (see {@link DocSamplesTest}). */
class CampaignSamplesTest {

    @Test
    void aCampaignToASegment() {
        byte[] secretFromYourVault = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        // ---- doc snippet begins
        Inbox inbox = Inbox.builder()
                .store(new InMemoryInboxStore())
                .campaigns(CampaignSettings.builder()
                        .unsubscribeLinks(URI.create("https://shop.example/unsubscribe"),
                                UnsubscribeTokens.withSecret(secretFromYourVault))
                        .build())
                .build();
        inbox.start();
        TenantInbox shop = inbox.forTenant(TenantId.of("shop"));

        Campaign sale = Campaign.builder(CampaignId.of("spring-sale"))
                .content(Content.text("Spring sale: 20% off until Sunday."))
                .subject("Spring sale")                                   // email only
                .purpose("marketing")                                     // required
                .audience(Audience.segment("gold", c -> "gold".equals(c.attributes().get("plan"))))
                .build();
        // ---- doc snippet ends
        try (inbox) {
            assertThat(sale.purpose()).isEqualTo("marketing");
            assertThat(shop.campaigns().tenant()).isEqualTo(TenantId.of("shop"));
        }
    }

    @SuppressWarnings("unused")
    void progress(TenantInbox shop, Campaign sale) {
        // ---- doc snippet begins
        shop.campaigns().create(sale);          // READY: the audience is stored as recipients, nothing is sent
        shop.campaigns().start(sale.id());      // RUNNING

        CampaignProgress p = shop.campaigns().progress(sale.id());
        System.out.printf("%s: %d sent, %d failed, %d without consent, %d to go%n", p.state(),
                p.count(RecipientStatus.SENT), p.count(RecipientStatus.FAILED), p.skipped(SkipReason.NO_CONSENT),
                p.remaining());
        // ---- doc snippet ends
    }

    @SuppressWarnings("unused")
    Map.Entry<Integer, String> unsubscribe(TenantInbox shop, String tokenQueryParameter) {
        // ---- doc snippet begins
        UnsubscribeEndpoint endpoint = UnsubscribeEndpoint.of(shop.campaigns());
        // in the host's handler of GET and POST https://shop.example/unsubscribe?token=...
        UnsubscribeEndpoint.Response r = endpoint.handle(tokenQueryParameter);
        // answer r.status() (200, 400 for a forged or foreign token, 404 for an unknown customer) with r.text()
        // ---- doc snippet ends
        return Map.entry(r.status(), r.text());
    }
}
