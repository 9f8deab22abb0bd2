package dev.switchboard.inbox.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import dev.switchboard.testkit.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of campaigns behind package-private seams or without a store: quiet hours defer a recipient instead of
 * skipping them, the localized footer, unsubscribe tokens, the settings' and definition's validation.
 */
class CampaignQuietHoursTest {
    private static final Instant START = Instant.parse("2026-03-02T22:30:00Z");
    private final ManualClock clock = new ManualClock(START);
    private Inbox inbox;

    @AfterEach
    void close() {
        if (inbox != null) {
            inbox.close();
        }
    }

    @Test
    void quietHoursDeferTheRecipientUntilTheyEndAndThenTheMessageGoes() throws Exception {
        FakeChannel telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        inbox = Inbox.builder().store(new InMemoryInboxStore()).clock(clock).channel(telegram)
                .campaigns(CampaignSettings.builder().interval(Duration.ofMillis(20)).build()).build();
        inbox.start();
        TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
        telegram.receive("ann", "hi").toCompletableFuture().get(20, TimeUnit.SECONDS);
        Customer ann = shop.updatePreferences(inbox.customerByAccount(telegram.account("ann").key()).orElseThrow()
                .id(), p -> p.withConsent("marketing", true, "form", clock.instant()));
        Instant morning = Instant.parse("2026-03-03T08:00:00Z");
        shop.campaigns().service().quietHours((customer, type, now) ->
                now.isBefore(morning) ? Optional.of(morning) : Optional.empty());

        CampaignId id = CampaignId.of("night");
        shop.campaigns().create(Campaign.builder(id).content(Content.text("Sale")).purpose("marketing")
                .audience(Audience.customers(List.of(ann.id()))).build());
        shop.campaigns().start(id);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                shop.campaigns().recipient(id, ann.id()).orElseThrow().status() == RecipientStatus.DEFERRED);
        CampaignRecipient deferred = shop.campaigns().recipient(id, ann.id()).orElseThrow();
        assertThat(deferred.notBefore()).isEqualTo(morning);
        assertThat(deferred.detail().orElseThrow()).contains("quiet hours");
        // rounds pass at night: still deferred, nothing sent, the campaign still running (not completed)
        shop.campaigns().service().runDue();
        assertThat(telegram.sent()).isEmpty();
        assertThat(shop.campaigns().progress(id).state()).isEqualTo(CampaignState.RUNNING);

        clock.advance(Duration.ofHours(10));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                shop.campaigns().progress(id).state() == CampaignState.COMPLETED);
        assertThat(shop.campaigns().progress(id).count(RecipientStatus.SENT)).isEqualTo(1);
        assertThat(telegram.sent()).hasSize(1);
    }

    @Test
    void theCustomersOwnQuietHoursDeferTheMessageToTheirEnd() throws Exception {
        FakeChannel telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        inbox = Inbox.builder().store(new InMemoryInboxStore()).clock(clock).channel(telegram)
                .campaigns(CampaignSettings.builder().interval(Duration.ofMillis(20)).build()).build();
        inbox.start();
        TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
        telegram.receive("bob", "hi").toCompletableFuture().get(20, TimeUnit.SECONDS);
        // 22:00-08:00 in Moscow (UTC+3): the clock's instant is inside it or not, decided below from the same rule
        dev.switchboard.model.QuietHours night = new dev.switchboard.model.QuietHours(java.time.LocalTime.of(22, 0),
                java.time.LocalTime.of(8, 0), java.time.ZoneId.of("Europe/Moscow"));
        Customer bob = shop.updatePreferences(inbox.customerByAccount(telegram.account("bob").key()).orElseThrow()
                .id(), p -> p.withConsent("marketing", true, "form", clock.instant()).withQuietHours(night));
        Instant now = clock.instant();
        Instant quietEnd = now.atZone(java.time.ZoneId.of("Europe/Moscow")).toLocalDate().plusDays(1)
                .atTime(8, 0).atZone(java.time.ZoneId.of("Europe/Moscow")).toInstant();
        Instant evening = now.atZone(java.time.ZoneId.of("Europe/Moscow")).toLocalDate().atTime(23, 0)
                .atZone(java.time.ZoneId.of("Europe/Moscow")).toInstant();
        clock.advance(Duration.between(now, evening));

        CampaignId id = CampaignId.of("evening");
        shop.campaigns().create(Campaign.builder(id).content(Content.text("Sale")).purpose("marketing")
                .audience(Audience.customers(List.of(bob.id()))).build());
        shop.campaigns().start(id);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                shop.campaigns().recipient(id, bob.id()).orElseThrow().status() == RecipientStatus.DEFERRED);
        assertThat(shop.campaigns().recipient(id, bob.id()).orElseThrow().notBefore()).isEqualTo(quietEnd);
        assertThat(telegram.sent()).isEmpty();

        clock.advance(Duration.between(evening, quietEnd));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                shop.campaigns().progress(id).state() == CampaignState.COMPLETED);
        assertThat(telegram.sent()).hasSize(1);
    }

    @Test
    void theFooterFollowsTheCustomersLanguageAndJoinsTheLastText() {
        CampaignMessage m = Campaign.builder(CampaignId.of("f")).content(Content.text("x")).purpose("marketing")
                .audience(Audience.customers(List.of(CustomerId.of("c")))).build().message();
        assertThat(m.footerFor(Optional.of("ru-RU"))).isEqualTo("Чтобы отписаться, ответьте СТОП.");
        assertThat(m.footerFor(Optional.of("de"))).isEqualTo("Reply STOP to unsubscribe.");
        assertThat(m.footerFor(Optional.empty())).isEqualTo("Reply STOP to unsubscribe.");
        assertThat(CampaignQueue.withFooter(Content.text("Sale"), "Reply STOP").parts()).hasSize(1);
        assertThat(CampaignQueue.withFooter(Content.text("Sale"), "Reply STOP").plainText())
                .isEqualTo("Sale\n\nReply STOP");
        Content picture = Content.of(Media.of(MediaKind.IMAGE, "image/png", new MediaSource.Url(URI.create(
                "https://shop.example/p.png"))));
        assertThat(CampaignQueue.withFooter(picture, "Reply STOP").parts()).hasSize(2);
    }

    @Test
    void tokensAreBoundToTenantCustomerAndPurposeAndKeepTheirSecret() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        UnsubscribeTokens tokens = UnsubscribeTokens.withSecret(secret);
        UnsubscribeTokens.Subject s = new UnsubscribeTokens.Subject(TenantId.of("shop"), CustomerId.of("c-1"),
                "marketing", CampaignId.of("spring"));
        String token = tokens.issue(s);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(tokens.verify(TenantId.of("shop"), token)).isEqualTo(s);
        assertThatThrownBy(() -> tokens.verify(TenantId.of("other"), token))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("another tenant");
        // the payload changed to another customer, signature kept: refused
        String moved = tokens.issue(new UnsubscribeTokens.Subject(TenantId.of("shop"), CustomerId.of("c-2"),
                "marketing", CampaignId.of("spring"))).split("\\.")[0] + "." + token.split("\\.")[1];
        assertThatThrownBy(() -> tokens.verify(TenantId.of("shop"), moved))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> tokens.verify(TenantId.of("shop"), "a.b.c"))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> UnsubscribeTokens.withSecret(new byte[16]))
                .hasMessageContaining("at least 32 bytes");
        assertThat(tokens.toString()).doesNotContain("0123456789");
    }

    @Test
    void settingsAndDefinitionsNameTheBadOption() {
        assertThatThrownBy(() -> CampaignSettings.builder().unsubscribeLinks(URI.create("http://shop.example/u"),
                UnsubscribeTokens.withSecret(new byte[32])).build()).hasMessageContaining("unsubscribeUrl");
        assertThatThrownBy(() -> CampaignSettings.builder().inFlightPerChannel(0).build())
                .hasMessageContaining("inFlightPerChannel");
        assertThatThrownBy(() -> Campaign.builder(CampaignId.of("x")).purpose("marketing")
                .audience(Audience.customers(List.of(CustomerId.of("c")))).build())
                .hasMessageContaining("content is required");
        assertThatThrownBy(() -> Campaign.builder(CampaignId.of("x")).content(Content.text("hi")).purpose("  ")
                .audience(Audience.customers(List.of(CustomerId.of("c")))).build())
                .hasMessageContaining("purpose is required");
        assertThatThrownBy(() -> Campaign.builder(CampaignId.of("x")).content(Content.text("hi"))
                .purpose("marketing").build()).hasMessageContaining("audience is required");
        assertThatThrownBy(() -> CampaignId.of("bad id!")).hasMessageContaining("bad id!");
    }
}
