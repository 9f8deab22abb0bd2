package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignProgress;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignSettings;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.InvalidUnsubscribeTokenException;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.UnsubscribeEndpoint;
import dev.switchboard.inbox.campaign.UnsubscribeTokens;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import dev.switchboard.testkit.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Campaigns (opt-in broadcasts) against any {@link InboxStore}: consent, channel choice, duplicates and paid sends
 * decide who gets what; pause, resume and cancel; a second inbox on the same store continues a campaign its first
 * node left in the middle of a failing batch without sending anyone a second copy; unsubscribe links; tenant
 * isolation. A store vendor extends it and implements {@link #newStore()}. Time is a {@link ManualClock}; the
 * campaign worker and the outbox run on their own threads and the assertions wait for stored outcomes. Test methods
 * are public so subclasses in other packages inherit them.
 */
public abstract class CampaignContract {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final String PURPOSE = "marketing";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret"
            .getBytes(StandardCharsets.UTF_8);
    private static final TenantId OTHER = TenantId.of("other-shop");

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    /**
     * Another node's store over the same data as {@code first}; the in-memory store has no other node, so the
     * default shares {@code first}. Closed after the test.
     */
    protected InboxStore anotherNode(InboxStore first) {
        return first;
    }

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected final ManualClock clock = new ManualClock(START);
    protected FakeChannel telegram;
    protected FakeChannel email;
    protected FakeChannel otherTelegram;
    protected Inbox inbox;
    protected TenantInbox shop;
    protected InboxStore store;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private static CampaignSettings settings() {
        return CampaignSettings.builder().inFlightPerChannel(2).batchSize(5).interval(Duration.ofMillis(20))
                .unsubscribeLinks(URI.create("https://shop.example/unsubscribe"),
                        UnsubscribeTokens.withSecret(SECRET)).build();
    }

    /** A started inbox over {@code on} with Telegram and email fakes (and one more channel for another tenant). */
    protected Inbox start(InboxStore on, Channel... extra) {
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        otherTelegram = FakeChannel.of(OTHER, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox.Builder b = Inbox.builder().store(on).clock(clock).channel(telegram).channel(email)
                .channel(otherTelegram).eventPollInterval(Duration.ofMillis(50)).campaigns(settings())
                .outbox(fastOutbox());
        for (Channel c : extra) {
            b.channel(c);
        }
        Inbox built = b.build();
        cleanup.add(built);
        built.start();
        inbox = built;
        shop = built.forTenant(TenantId.DEFAULT);
        return built;
    }

    private static OutboxSettings fastOutbox() {
        OutboxSettings d = OutboxSettings.defaults();
        return new OutboxSettings(d.workers(), d.batchSize(), d.maxAttempts(), d.baseBackoff(), d.maxBackoff(),
                d.jitter(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(20));
    }

    protected Inbox start() {
        store = newStore();
        cleanup.add(store);
        return start(store);
    }

    /** A customer who wrote once from {@code user} on {@code channel}. */
    protected Customer customer(FakeChannel channel, String user) throws Exception {
        channel.deliver(channel.text(user, "hello from " + user)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        return inbox.customerByAccount(channel.account(user).key()).orElseThrow();
    }

    protected Customer consenting(FakeChannel channel, String user) throws Exception {
        Customer c = customer(channel, user);
        return inbox.forTenant(channel.tenant()).updatePreferences(c.id(),
                p -> p.withConsent(PURPOSE, true, "web form v3", clock.instant()));
    }

    protected Campaign campaign(String id, List<CustomerId> audience) {
        return Campaign.builder(CampaignId.of(id)).content(Content.text("Spring sale: 20% off"))
                .purpose(PURPOSE).subject("Spring sale").audience(Audience.customers(audience)).build();
    }

    protected CampaignProgress awaitEnd(TenantInbox tenant, CampaignId id) {
        await().atMost(WAIT).until(() -> tenant.campaigns().progress(id).state().isFinal());
        return tenant.campaigns().progress(id);
    }

    private static Map<String, Long> sendsPerRecipient(FakeChannel... channels) {
        return java.util.Arrays.stream(channels).flatMap(c -> c.sent().stream())
                .map(a -> a.message().channel().value() + "/" + a.message().recipient().platformUserId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    // ---- who gets what ------------------------------------------------------------------------------------------

    @Test
    public void sendsOnlyWithConsentOncePerCustomerThroughTheirAllowedPreferredChannel() throws Exception {
        start();
        // ann: telegram and email (merged), prefers email
        Customer annTg = consenting(telegram, "ann");
        Customer annMail = customer(email, "ann@example.com");
        CustomerId ann = shop.merge(annTg.id(), annMail.id(), "agent", "same person").survivor();
        shop.updatePreferences(ann, p -> p.withPreferredChannel(ChannelType.EMAIL));
        Customer bob = customer(telegram, "bob"); // no consent
        Customer cid = consenting(telegram, "cid");
        shop.updatePreferences(cid.id(), p -> p.withDoNotContact(ChannelType.TELEGRAM));
        Customer dan = consenting(telegram, "dan");
        clock.advance(Duration.ofMinutes(1)); // the withdrawal is the later record
        shop.updatePreferences(dan.id(), p -> p.withConsent(PURPOSE, false, "reply STOP", clock.instant()));
        Customer eve = consenting(telegram, "eve");
        CustomerId unknown = CustomerId.of("nobody-here");

        CampaignId id = CampaignId.of("spring");
        // ann named twice (both of her ids), eve twice (the same id: stored once)
        shop.campaigns().create(campaign("spring", List.of(annTg.id(), annMail.id(), bob.id(), cid.id(), dan.id(),
                eve.id(), eve.id(), unknown)));
        assertThat(shop.campaigns().progress(id).state()).isEqualTo(CampaignState.READY);
        assertThat(shop.campaigns().progress(id).total()).isEqualTo(7);
        assertThat(telegram.sent()).isEmpty();
        shop.campaigns().start(id);
        CampaignProgress p = awaitEnd(shop, id);

        assertThat(p.state()).isEqualTo(CampaignState.COMPLETED);
        assertThat(p.count(RecipientStatus.SENT)).isEqualTo(2);
        assertThat(p.skipped(SkipReason.NO_CONSENT)).isEqualTo(2); // bob, dan (withdrawn)
        assertThat(p.skipped(SkipReason.NO_ALLOWED_CHANNEL)).isEqualTo(1); // cid
        assertThat(p.skipped(SkipReason.DUPLICATE)).isEqualTo(1); // ann's second id
        assertThat(p.skipped(SkipReason.UNKNOWN_CUSTOMER)).isEqualTo(1);
        assertThat(p.remaining()).isZero();

        // ann once, by email (her preferred type), with the one-click unsubscribe; eve once on Telegram with the footer
        assertThat(sendsPerRecipient(telegram, email)).isEqualTo(Map.of("mail/ann@example.com", 1L, "tg/eve", 1L));
        OutboundMessage mail = email.sent().get(0).message();
        assertThat(mail.marketing()).isPresent();
        assertThat(mail.marketing().get().purpose()).isEqualTo(PURPOSE);
        assertThat(mail.marketing().get().unsubscribeUrl().orElseThrow().toString())
                .startsWith("https://shop.example/unsubscribe?token=");
        assertThat(mail.thread().subject()).contains("Spring sale");
        assertThat(String.join("\n", telegram.sentTexts())).contains("Spring sale: 20% off")
                .contains("Reply STOP to unsubscribe.");
        CampaignRecipient eveRow = shop.campaigns().recipient(id, eve.id()).orElseThrow();
        assertThat(eveRow.status()).isEqualTo(RecipientStatus.SENT);
        assertThat(eveRow.channel()).contains(ChannelId.of("tg"));
        assertThat(shop.campaigns().recipients(id, RecipientStatus.SKIPPED, Optional.empty(), 100))
                .extracting(CampaignRecipient::customer)
                .containsExactlyInAnyOrder(annMail.id().equals(ann) ? annTg.id() : annMail.id(), bob.id(), cid.id(),
                        dan.id(), unknown);

        List<String> states = shop.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.CAMPAIGN_UPDATED)
                .map(e -> e.attribute(InboxEvent.Attribute.CAMPAIGN_STATE).orElseThrow()).toList();
        assertThat(states).containsExactly("READY", "RUNNING", "COMPLETED");
        InboxEvent done = shop.events(0, 1000).stream().filter(e -> e.type() == InboxEvent.Type.CAMPAIGN_UPDATED)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(done.attribute(InboxEvent.Attribute.SENT)).contains("2");
        assertThat(done.attribute(InboxEvent.Attribute.SKIPPED)).contains("5");
    }

    @Test
    public void theCustomersLanguageChoosesTheFooter() throws Exception {
        start();
        Customer ivan = consenting(telegram, "ivan");
        CampaignId id = CampaignId.of("ru-footer");
        shop.campaigns().create(Campaign.builder(id).content(Content.text("Скидки")).purpose(PURPOSE)
                .footer("en", "Send STOP to opt out.").audience(Audience.customers(List.of(ivan.id()))).build());
        shop.campaigns().start(id);
        awaitEnd(shop, id);
        // no language on the customer: the English footer the campaign set
        assertThat(String.join("\n", telegram.sentTexts())).contains("Send STOP to opt out.");
    }

    @Test
    public void paidSendsNeedTheCampaignsOptIn() throws Exception {
        PaidChannel viber = new PaidChannel(FakeChannel.of("viber", ChannelType.VIBER));
        store = newStore();
        cleanup.add(store);
        start(store, viber);
        viber.fake.deliver(viber.fake.text("vic", "hi")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Customer vic = shop.updatePreferences(inbox.customerByAccount(viber.fake.account("vic").key())
                .orElseThrow().id(), p -> p.withConsent(PURPOSE, true, "form", clock.instant()));

        CampaignId refused = CampaignId.of("no-paid");
        shop.campaigns().create(campaign("no-paid", List.of(vic.id())));
        shop.campaigns().start(refused);
        CampaignProgress p = awaitEnd(shop, refused);
        assertThat(p.skipped(SkipReason.PAID_SEND_NOT_ALLOWED)).isEqualTo(1);
        assertThat(viber.fake.sent()).isEmpty();

        CampaignId allowed = CampaignId.of("paid-ok");
        shop.campaigns().create(Campaign.builder(allowed).content(Content.text("Offer")).purpose(PURPOSE)
                .allowPaidSends(true).audience(Audience.customers(List.of(vic.id()))).build());
        shop.campaigns().start(allowed);
        assertThat(awaitEnd(shop, allowed).count(RecipientStatus.SENT)).isEqualTo(1);
        assertThat(viber.fake.sent()).hasSize(1);
    }

    @Test
    public void aSegmentIsReadOverTheTenantsCustomers() throws Exception {
        start();
        Customer a = consenting(telegram, "seg-a");
        Customer b = consenting(telegram, "seg-b");
        consenting(otherTelegram, "seg-other"); // another tenant: never in this tenant's segment
        CampaignId id = CampaignId.of("everyone");
        shop.campaigns().create(Campaign.builder(id).content(Content.text("News")).purpose(PURPOSE)
                .audience(Audience.segment("all", c -> true)).build());
        assertThat(shop.campaigns().recipients(id, RecipientStatus.PENDING, Optional.empty(), 100))
                .extracting(CampaignRecipient::customer).containsExactlyInAnyOrder(a.id(), b.id());
    }

    // ---- bad input ----------------------------------------------------------------------------------------------

    @Test
    public void aCampaignWithoutPurposeOrAnAudienceWithoutConsentIsRefusedAndNothingIsStored() throws Exception {
        start();
        Customer bob = customer(telegram, "bob");
        assertThatThrownBy(() -> Campaign.builder(CampaignId.of("x")).content(Content.text("hi"))
                .audience(Audience.customers(List.of(bob.id()))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("purpose is required");
        assertThatThrownBy(() -> shop.campaigns().create(campaign("no-consent", List.of(bob.id()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no customer of the audience")
                .hasMessageContaining(PURPOSE);
        assertThat(shop.campaigns().campaign(CampaignId.of("no-consent"))).isEmpty();
        Customer ann = consenting(telegram, "ann");
        shop.campaigns().create(campaign("twice", List.of(ann.id())));
        assertThatThrownBy(() -> shop.campaigns().create(campaign("twice", List.of(ann.id()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> shop.campaigns().resume(CampaignId.of("twice")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("READY");
        assertThat(telegram.sent()).isEmpty();
    }

    // ---- pause, resume, cancel ----------------------------------------------------------------------------------

    @Test
    public void pauseHoldsResumeContinuesCancelSkipsTheRest() throws Exception {
        start();
        List<CustomerId> audience = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            audience.add(consenting(telegram, "p" + i).id());
        }
        // every send fails for an hour (retried then), so at most the in-flight limit is queued
        telegram.sendPolicy(m -> new FakeChannel.Fail(new SendFailure(FailureKind.UNAVAILABLE,
                Optional.of(Duration.ofHours(1)), Optional.empty(), "down for an hour")));
        CampaignId id = CampaignId.of("held");
        shop.campaigns().create(campaign("held", audience));
        shop.campaigns().start(id);
        await().atMost(WAIT).until(() -> shop.campaigns().progress(id).count(RecipientStatus.QUEUED) == 2);
        // both failures recorded (their retry an hour from the clock's now), before the clock moves
        await().atMost(WAIT).until(() -> shop.campaigns().recipients(id, RecipientStatus.QUEUED, Optional.empty(), 10)
                .stream().allMatch(r -> store.inTransaction(tx -> tx.outboxEntry(r.messageId().orElseThrow().value()
                        + ":0")).map(e -> e.attempts() >= 1).orElse(false)));
        shop.campaigns().pause(id);
        assertThat(shop.campaigns().progress(id).state()).isEqualTo(CampaignState.PAUSED);
        telegram.sendPolicy(m -> new FakeChannel.Succeed());
        clock.advance(Duration.ofHours(2));
        // the two messages already queued go out while paused; nothing more is queued
        await().atMost(WAIT).until(() -> shop.campaigns().progress(id).count(RecipientStatus.SENT) == 2);
        assertThat(shop.campaigns().progress(id).count(RecipientStatus.PENDING)).isEqualTo(10);

        shop.campaigns().resume(id);
        await().atMost(WAIT).until(() -> shop.campaigns().progress(id).count(RecipientStatus.SENT) >= 4);
        shop.campaigns().cancel(id);
        CampaignProgress p = shop.campaigns().progress(id);
        assertThat(p.state()).isEqualTo(CampaignState.CANCELLED);
        assertThat(p.count(RecipientStatus.PENDING) + p.count(RecipientStatus.DEFERRED)).isZero();
        long queuedOrSent = p.count(RecipientStatus.SENT) + p.count(RecipientStatus.QUEUED);
        assertThat(p.skipped(SkipReason.CANCELLED)).isEqualTo(12 - queuedOrSent);
        await().atMost(WAIT).until(() -> shop.campaigns().progress(id).count(RecipientStatus.QUEUED) == 0);
        assertThat(sendsPerRecipient(telegram).values()).allMatch(n -> n == 1);
        assertThat(telegram.sent()).hasSize((int) queuedOrSent);
        assertThatThrownBy(() -> shop.campaigns().start(id)).isInstanceOf(IllegalStateException.class);
    }

    // ---- crash resumption ---------------------------------------------------------------------------------------

    @Test
    public void aSecondInboxContinuesACampaignLeftInAFailingBatchAndSendsNobodyASecondCopy() throws Exception {
        InboxStore shared = newStore();
        cleanup.add(shared);
        FaultyStore faults = new FaultyStore();
        start(faults.wrap(shared));
        Inbox first = inbox;
        FakeChannel firstTelegram = telegram;
        List<CustomerId> audience = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            audience.add(consenting(telegram, "c" + i).id());
        }
        CampaignId id = CampaignId.of("resumed");
        shop.campaigns().create(campaign("resumed", audience));
        // the node dies in the middle of a batch: its fourth outbox row (the second of a batch of two) and every
        // later one fail their transaction, which leaves nothing of that batch behind
        faults.failEnqueuesAfter(3);
        shop.campaigns().start(id);
        await().atMost(WAIT).until(() -> faults.failedEnqueues() >= 2 && !firstTelegram.sent().isEmpty());
        first.close();
        int sentBeforeTheCrash = firstTelegram.sent().size();
        assertThat(sentBeforeTheCrash).isBetween(1, 3);

        InboxStore second = anotherNode(shared);
        if (second != shared) {
            cleanup.add(second);
        }
        start(second);
        CampaignProgress p = awaitEnd(shop, id);
        assertThat(p.state()).isEqualTo(CampaignState.COMPLETED);
        assertThat(p.count(RecipientStatus.SENT)).isEqualTo(15);
        Map<String, Long> sends = sendsPerRecipient(firstTelegram, telegram);
        assertThat(sends).hasSize(15);
        assertThat(sends.values()).allMatch(n -> n == 1);
        // one outbox row (one message) per recipient, all sent
        for (CustomerId c : audience) {
            CampaignRecipient r = shop.campaigns().recipient(id, c).orElseThrow();
            String row = r.messageId().orElseThrow().value() + ":0";
            Optional<OutboxEntry> entry = second.inTransaction(tx -> tx.outboxEntry(row));
            assertThat(entry).map(OutboxEntry::status).contains(OutboxEntry.Status.SENT);
        }
    }

    // ---- unsubscribe --------------------------------------------------------------------------------------------

    @Test
    public void theUnsubscribeLinkWithdrawsConsentAndForgedOrForeignTokensAreRefused() throws Exception {
        start();
        Customer ann = consenting(telegram, "ann");
        UnsubscribeTokens tokens = UnsubscribeTokens.withSecret(SECRET);
        CampaignId id = CampaignId.of("news");
        String token = tokens.issue(new UnsubscribeTokens.Subject(TenantId.DEFAULT, ann.id(), PURPOSE, id));
        String foreign = tokens.issue(new UnsubscribeTokens.Subject(OTHER, ann.id(), PURPOSE, id));
        String forged = UnsubscribeTokens.withSecret("another secret, 32 bytes or more.........".getBytes(
                StandardCharsets.UTF_8)).issue(new UnsubscribeTokens.Subject(TenantId.DEFAULT, ann.id(), PURPOSE, id));
        long before = inbox.lastEventSeq();

        assertThatThrownBy(() -> shop.campaigns().unsubscribe(forged))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> shop.campaigns().unsubscribe(foreign))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("another tenant");
        assertThatThrownBy(() -> shop.campaigns().unsubscribe(token.substring(0, token.length() - 2) + "xx"))
                .isInstanceOf(InvalidUnsubscribeTokenException.class);
        assertThat(UnsubscribeEndpoint.of(shop.campaigns()).handle("garbage").status()).isEqualTo(400);
        assertThat(inbox.lastEventSeq()).isEqualTo(before);
        assertThat(shop.customer(ann.id()).orElseThrow().preferences().hasConsent(PURPOSE, ChannelType.TELEGRAM))
                .isTrue();

        clock.advance(Duration.ofMinutes(1)); // the withdrawal is the later record
        UnsubscribeEndpoint.Response ok = UnsubscribeEndpoint.of(shop.campaigns()).handle(token);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).doesNotContain(token);
        assertThat(shop.customer(ann.id()).orElseThrow().preferences().hasConsent(PURPOSE, ChannelType.TELEGRAM))
                .isFalse();
        await().atMost(WAIT).until(() -> shop.events(before, 100).stream()
                .anyMatch(e -> e.type() == InboxEvent.Type.CAMPAIGN_UNSUBSCRIBED));
        // the withdrawn customer is no longer an audience with consent
        assertThatThrownBy(() -> shop.campaigns().create(campaign("after", List.of(ann.id()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- tenants ------------------------------------------------------------------------------------------------

    @Test
    public void campaignsAndRecipientsStayInTheirTenant() throws Exception {
        start();
        Customer ann = consenting(telegram, "ann");
        Customer olga = consenting(otherTelegram, "olga");
        TenantInbox other = inbox.forTenant(OTHER);
        CampaignId id = CampaignId.of("same-id");
        shop.campaigns().create(campaign("same-id", List.of(ann.id())));
        assertThat(other.campaigns().campaign(id)).isEmpty();
        // the other tenant's campaign with the same id, naming this tenant's customer too
        other.campaigns().create(campaign("same-id", List.of(olga.id(), ann.id())));
        other.campaigns().start(id);
        CampaignProgress p = awaitEnd(other, id);
        assertThat(p.count(RecipientStatus.SENT)).isEqualTo(1);
        assertThat(p.skipped(SkipReason.UNKNOWN_CUSTOMER)).isEqualTo(1);
        assertThat(telegram.sent()).isEmpty();
        assertThat(otherTelegram.sent()).hasSize(1);
        assertThat(shop.campaigns().progress(id).state()).isEqualTo(CampaignState.READY);
        assertThat(shop.events(0, 1000)).allMatch(e -> e.tenant().equals(TenantId.DEFAULT));
    }

    @Test
    public void campaignsAreListedNewestFirstPerTenant() throws Exception {
        start();
        Customer ann = consenting(telegram, "ann");
        Customer olga = consenting(otherTelegram, "olga");
        shop.campaigns().create(campaign("first", List.of(ann.id())));
        clock.advance(Duration.ofMinutes(1));
        shop.campaigns().create(campaign("second", List.of(ann.id())));
        shop.campaigns().start(CampaignId.of("second"));
        clock.advance(Duration.ofMinutes(1));
        inbox.forTenant(OTHER).campaigns().create(campaign("foreign", List.of(olga.id())));
        assertThat(shop.campaigns().list(100)).extracting(c -> c.id().value()).containsExactly("second", "first");
        assertThat(shop.campaigns().list(1)).extracting(c -> c.id().value()).containsExactly("second");
        assertThat(inbox.forTenant(OTHER).campaigns().list(100)).extracting(c -> c.id().value())
                .containsExactly("foreign");
        assertThatThrownBy(() -> shop.campaigns().list(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void deliveryReceiptsMoveSentRecipientsToDeliveredAndFailureReportsToFailed() throws Exception {
        start();
        Customer ann = consenting(telegram, "ann");
        Customer bob = consenting(telegram, "bob");
        Customer cid = consenting(telegram, "cid");
        Customer olga = consenting(otherTelegram, "olga");
        CampaignId id = CampaignId.of("receipts");
        shop.campaigns().create(campaign("receipts", List.of(ann.id(), bob.id(), cid.id())));
        shop.campaigns().start(id);
        assertThat(awaitEnd(shop, id).count(RecipientStatus.SENT)).isEqualTo(3);
        TenantInbox other = inbox.forTenant(OTHER);
        other.campaigns().create(campaign("receipts", List.of(olga.id())));
        other.campaigns().start(id);
        awaitEnd(other, id);
        String annId = platformIdTo(telegram, "ann");
        String bobId = platformIdTo(telegram, "bob");
        String olgaId = platformIdTo(otherTelegram, "olga");

        // ann's message delivered, then read (stays DELIVERED); bob's delivered, then reported failed
        receipt(telegram, "ann", annId, dev.switchboard.model.DeliveryStatus.DELIVERED, Optional.empty());
        receipt(telegram, "ann", annId, dev.switchboard.model.DeliveryStatus.READ, Optional.empty());
        receipt(telegram, "bob", bobId, dev.switchboard.model.DeliveryStatus.DELIVERED, Optional.empty());
        receipt(telegram, "bob", bobId, dev.switchboard.model.DeliveryStatus.FAILED, Optional.of("phone switched off"));
        // a late "delivered" after the failure, a receipt for an id nobody sent, and this tenant's id reported on
        // the other tenant's channel change nothing
        receipt(telegram, "bob", bobId, dev.switchboard.model.DeliveryStatus.DELIVERED, Optional.empty());
        receipt(telegram, "ann", "no-such-message", dev.switchboard.model.DeliveryStatus.FAILED, Optional.empty());
        receipt(otherTelegram, "olga", annId, dev.switchboard.model.DeliveryStatus.FAILED, Optional.empty());

        assertThat(shop.campaigns().recipient(id, ann.id()).orElseThrow().status())
                .isEqualTo(RecipientStatus.DELIVERED);
        CampaignRecipient bobRow = shop.campaigns().recipient(id, bob.id()).orElseThrow();
        assertThat(bobRow.status()).isEqualTo(RecipientStatus.FAILED);
        assertThat(bobRow.detail().orElseThrow()).contains("phone switched off");
        assertThat(shop.campaigns().recipient(id, cid.id()).orElseThrow().status()).isEqualTo(RecipientStatus.SENT);
        CampaignProgress p = shop.campaigns().progress(id);
        assertThat(p.count(RecipientStatus.DELIVERED)).isEqualTo(1);
        assertThat(p.count(RecipientStatus.FAILED)).isEqualTo(1);
        assertThat(p.count(RecipientStatus.SENT)).isEqualTo(1);
        assertThat(p.state()).isEqualTo(CampaignState.COMPLETED);
        assertThat(other.campaigns().recipient(id, olga.id()).orElseThrow().status()).isEqualTo(RecipientStatus.SENT);
        receipt(otherTelegram, "olga", olgaId, dev.switchboard.model.DeliveryStatus.DELIVERED, Optional.empty());
        assertThat(other.campaigns().recipient(id, olga.id()).orElseThrow().status())
                .isEqualTo(RecipientStatus.DELIVERED);
    }

    /**
     * On a channel whose platform deduplicates sends by the idempotency key, a campaign message answered with the
     * platform id an earlier campaign's message already holds reached nobody: it is sent again under a derived key, so
     * each recipient gets exactly one message and keeps its own platform id. (The collision is found through the
     * campaign recipients, since campaign messages are not stored as messages.)
     */
    @Test
    public void aCampaignMessageDeduplicatedAgainstAnotherRecipientsIsSentAgainUnderADerivedKey() throws Exception {
        start();
        KeyDeduplicatingPlatform platform = new KeyDeduplicatingPlatform(false);
        telegram.deduplicatesSendsByIdempotencyKey(true).sendPolicy(platform);
        Customer ann = consenting(telegram, "ann");
        Customer bob = consenting(telegram, "bob");
        CampaignId first = CampaignId.of("first");
        shop.campaigns().create(campaign("first", List.of(ann.id())));
        shop.campaigns().start(first);
        assertThat(awaitEnd(shop, first).count(RecipientStatus.SENT)).isEqualTo(1);
        await().atMost(WAIT).until(() -> inbox.pendingOutboxCount() == 0);
        CampaignId second = CampaignId.of("second");
        shop.campaigns().create(campaign("second", List.of(bob.id())));
        shop.campaigns().start(second);
        assertThat(awaitEnd(shop, second).count(RecipientStatus.SENT)).isEqualTo(1);
        await().atMost(WAIT).until(() -> inbox.pendingOutboxCount() == 0);

        assertThat(platform.received().keySet()).containsExactlyInAnyOrder("ann", "bob");
        assertThat(platform.received().values()).allSatisfy(texts -> assertThat(texts).hasSize(1));
        assertThat(telegram.attempts()).extracting(a -> a.message().recipient().platformUserId())
                .containsExactly("ann", "bob", "bob");
        assertThat(telegram.attempts().get(2).message().idempotencyKey())
                .isEqualTo(telegram.attempts().get(1).message().idempotencyKey() + "~1");
        assertThat(store.inTransaction(tx -> tx.campaignRecipientByPlatformMessage(TenantId.DEFAULT, telegram.id(),
                "vk-1")).map(CampaignRecipient::customer)).contains(ann.id());
        assertThat(store.inTransaction(tx -> tx.campaignRecipientByPlatformMessage(TenantId.DEFAULT, telegram.id(),
                "vk-2")).map(CampaignRecipient::customer)).contains(bob.id());
    }

    @Test
    public void anErasureForgetsThePlatformIdsOfThePersonsCampaignMessages() throws Exception {
        start();
        Customer ann = consenting(telegram, "ann");
        Customer bob = consenting(telegram, "bob");
        CampaignId id = CampaignId.of("forget");
        shop.campaigns().create(campaign("forget", List.of(ann.id(), bob.id())));
        shop.campaigns().start(id);
        assertThat(awaitEnd(shop, id).count(RecipientStatus.SENT)).isEqualTo(2);
        String annId = platformIdTo(telegram, "ann");
        String bobId = platformIdTo(telegram, "bob");
        shop.privacy().erase(ann.id(), "dpo");
        Optional<CampaignRecipient> annRow = store.inTransaction(tx -> tx.campaignRecipientByPlatformMessage(
                TenantId.DEFAULT, telegram.id(), annId));
        Optional<CampaignRecipient> bobRow = store.inTransaction(tx -> tx.campaignRecipientByPlatformMessage(
                TenantId.DEFAULT, telegram.id(), bobId));
        assertThat(annRow).isEmpty();
        assertThat(bobRow.map(CampaignRecipient::customer)).contains(bob.id());
        // the recipient row itself stays, so the campaign's totals do not change
        assertThat(shop.campaigns().progress(id).count(RecipientStatus.SENT)).isEqualTo(2);
    }

    private static String platformIdTo(FakeChannel channel, String user) {
        return channel.sent().stream().filter(a -> a.message().recipient().platformUserId().equals(user))
                .map(a -> a.platformMessageId().orElseThrow()).reduce((a, b) -> b).orElseThrow();
    }

    private static int receiptSeq;

    /** The platform reports {@code status} for message {@code platformId}; returns once the inbox stored it. */
    private static void receipt(FakeChannel channel, String user, String platformId,
                                dev.switchboard.model.DeliveryStatus status, Optional<String> reason)
            throws Exception {
        channel.deliver(new dev.switchboard.channel.InboundEvent.DeliveryUpdate("receipt-" + (++receiptSeq),
                channel.account(user), Instant.now(), platformId, status, reason))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** A channel whose every send the platform bills (as Viber's bot-initiated messages outside a window). */
    private static final class PaidChannel implements Channel {
        final FakeChannel fake;

        PaidChannel(FakeChannel fake) {
            this.fake = fake;
        }

        @Override
        public ChannelId id() {
            return fake.id();
        }

        @Override
        public ChannelType type() {
            return fake.type();
        }

        @Override
        public TenantId tenant() {
            return fake.tenant();
        }

        @Override
        public Capabilities capabilities() {
            return fake.capabilities();
        }

        @Override
        public SendCost sendCost(ChannelAccount recipient) {
            return SendCost.PAID;
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return fake.start(sink);
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            return fake.send(message);
        }

        @Override
        public CompletionStage<Void> stop() {
            return fake.stop();
        }
    }
}
