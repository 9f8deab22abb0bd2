package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.content.Content;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxHealth;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.ReceivedMessage;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Running an inbox in production, on any store: channels that recover after a lost lease or a store outage (restarted,
 * or rebuilt from their factory), duplicate platform message ids quarantined visibly, processed-event retention, the
 * health report, channels added, replaced and removed at runtime, tenant-scoped views and identity options per tenant.
 * A store vendor extends it and implements {@link #newStore()} (a fresh, empty store per test; the suite closes it);
 * see {@link InboxStoreContract} for the whole kit.
 */
public abstract class RunningInboxContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TenantId SHOP = TenantId.of("shop");

    protected abstract InboxStore newStore();

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private InboxStore store() {
        InboxStore s = newStore();
        cleanup.add(s);
        return s;
    }

    private static Inbox.Builder fastInbox(InboxStore store) {
        return Inbox.builder().store(store)
                .eventPollInterval(Duration.ofMillis(50))
                .leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(2))
                        .leaseDuration(Duration.ofSeconds(5)).build());
    }

    private Inbox started(Inbox.Builder builder) {
        Inbox inbox = builder.build();
        cleanup.add(inbox);
        inbox.start();
        return inbox;
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<Message> allMessages(Inbox inbox, TenantId tenant) {
        List<Message> out = new ArrayList<>();
        for (Conversation c : inbox.conversations(ConversationQuery.all(tenant, 1000)).items()) {
            out.addAll(inbox.messages(tenant, c.id()));
        }
        return out;
    }

    private static List<String> texts(Inbox inbox, TenantId tenant) {
        return allMessages(inbox, tenant).stream().map(m -> m.content().plainText()).sorted().toList();
    }

    private static InboxHealth.ChannelReport report(Inbox inbox, TenantId tenant, String channel) {
        return inbox.health().channel(tenant, ChannelId.of(channel)).orElseThrow();
    }

    // ---- channels that recover (issue item 1) --------------------------------------------------------------------

    @Test
    public void aPollingChannelStoppedByAnOutageReceivesAgainAndEveryMessageIsStoredOnce() throws Exception {
        OutageStore store = new OutageStore(store());
        PollingFakeChannel.Platform platform = new PollingFakeChannel.Platform();
        PollingFakeChannel channel = PollingFakeChannel.restartable(SHOP, "tg", platform);
        Inbox inbox = started(fastInbox(store).channel(channel));
        await().atMost(WAIT).until(channel::isRunning);
        for (int i = 0; i < 5; i++) {
            platform.post("u" + i, "before " + i);
        }
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0);

        store.down(); // the lease is lost with the sessions; nothing can be stored or leased until up()
        await().atMost(WAIT).until(() -> !channel.isRunning());
        for (int i = 0; i < 5; i++) {
            platform.post("u" + i, "during " + i);
        }
        await().atMost(WAIT).until(() -> report(inbox, SHOP, "tg").interruptedSince().isPresent());
        InboxHealth down = inbox.health();
        assertThat(down.status()).isEqualTo(InboxHealth.Status.DOWN);
        assertThat(down.store().reachable()).isFalse();
        assertThat(down.channel(SHOP, ChannelId.of("tg")).orElseThrow()).satisfies(r -> {
            assertThat(r.healthy()).isFalse();
            assertThat(r.runningHere()).isFalse();
            assertThat(r.interruption()).isPresent();
        });

        store.up();
        await().atMost(WAIT).until(() -> channel.isRunning() && channel.startCount() == 2);
        for (int i = 0; i < 5; i++) {
            platform.post("u" + i, "after " + i);
        }
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0 && allMessages(inbox, SHOP).size() >= 15);
        List<String> expected = new ArrayList<>();
        for (String phase : List.of("after", "before", "during")) {
            for (int i = 0; i < 5; i++) {
                expected.add(phase + " " + i);
            }
        }
        assertThat(texts(inbox, SHOP)).containsExactlyElementsOf(expected);
        InboxHealth.ChannelReport recovered = report(inbox, SHOP, "tg");
        assertThat(recovered.interruptedSince()).isEmpty();
        assertThat(recovered.restarts()).isEqualTo(1);
        assertThat(recovered.runningHere()).isTrue();
        assertThat(recovered.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    public void aChannelThatRefusesARestartIsRebuiltFromItsFactory() throws Exception {
        OutageStore store = new OutageStore(store());
        PollingFakeChannel.Platform platform = new PollingFakeChannel.Platform();
        List<PollingFakeChannel> built = Collections.synchronizedList(new ArrayList<>());
        Inbox inbox = started(fastInbox(store).channel(() -> {
            PollingFakeChannel c = PollingFakeChannel.singleUse(SHOP, "tg", platform);
            built.add(c);
            return c;
        }));
        await().atMost(WAIT).until(() -> built.get(0).isRunning());

        store.down();
        await().atMost(WAIT).until(() -> !built.get(0).isRunning());
        platform.post("42", "while down");
        store.up();

        await().atMost(WAIT).until(() -> built.size() == 2 && built.get(1).isRunning());
        platform.post("42", "after");
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0 && allMessages(inbox, SHOP).size() == 2);
        assertThat(texts(inbox, SHOP)).containsExactly("after", "while down");
        assertThat(inbox.channel(SHOP, ChannelId.of("tg"))).containsSame(built.get(1));
        assertThat(report(inbox, SHOP, "tg").rebuilds()).isEqualTo(1);
    }

    @Test
    public void aChannelThatRefusesARestartWithoutAFactoryIsReportedNotSilentlyLost() throws Exception {
        OutageStore store = new OutageStore(store());
        PollingFakeChannel.Platform platform = new PollingFakeChannel.Platform();
        PollingFakeChannel channel = PollingFakeChannel.singleUse(SHOP, "tg", platform);
        Inbox inbox = started(fastInbox(store).channel(channel));
        await().atMost(WAIT).until(channel::isRunning);

        store.down();
        await().atMost(WAIT).until(() -> !channel.isRunning());
        store.up();

        await().atMost(WAIT).until(() -> report(inbox, SHOP, "tg").lastStartError().isPresent());
        InboxHealth.ChannelReport r = report(inbox, SHOP, "tg");
        assertThat(r.lastStartError().get()).contains("was stopped");
        assertThat(r.interruptedSince()).isPresent();
        assertThat(r.healthy()).isFalse();
        assertThat(inbox.health().status()).isEqualTo(InboxHealth.Status.DEGRADED);
    }

    // ---- duplicate platform message ids and retention (issue item 3) ---------------------------------------------

    @Test
    public void aKnownPlatformMessageIdUnderANewEventIdIsQuarantinedVisiblyNotDropped() throws Exception {
        FakeChannel tg = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox inbox = started(fastInbox(store()).channel(tg));
        InboundEvent.MessageReceived first = InboundEvent.MessageReceived.of("update-1", tg.account("42"),
                Instant.now(), "message-7", Content.text("first bot's message 7"));
        InboundEvent.MessageReceived reused = InboundEvent.MessageReceived.of("update-900", tg.account("42"),
                Instant.now(), "message-7", Content.text("new bot's message 7"));
        done(tg.deliver(first));
        done(tg.deliver(reused));
        done(tg.deliver(reused)); // its redelivery is recognised by the event id: quarantined once

        assertThat(texts(inbox, SHOP)).containsExactly("first bot's message 7");
        Message stored = allMessages(inbox, SHOP).get(0);
        assertThat(inbox.quarantined(SHOP, 10)).singleElement().satisfies(q -> {
            assertThat(q.input().reason()).startsWith("duplicate platform message id message-7")
                    .contains(stored.id().value());
            assertThat(q.input().platformEventId()).contains("update-900");
            assertThat(new String(q.input().raw(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("new bot's message 7");
        });
        assertThat(inbox.events(SHOP, 0, 100)).filteredOn(e -> e.type() == InboxEvent.Type.INPUT_QUARANTINED)
                .singleElement().satisfies(e -> {
                    assertThat(e.attributes()).containsEntry("duplicateOf", stored.id().value())
                            .containsEntry("platformMessageId", "message-7").containsEntry("channel", "tg");
                    assertThat(e.conversation()).contains(stored.conversation());
                });
        await().atMost(WAIT).until(() -> inbox.health().duplicatePlatformMessages() == 1);
    }

    @Test
    public void processedEventIdsArePrunedAfterTheRetentionAndAnOldRedeliveryIsStillNotStoredTwice()
            throws Exception {
        MutableClock clock = new MutableClock();
        FakeChannel tg = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox inbox = started(fastInbox(store()).clock(clock).processedEventRetention(Duration.ofDays(30))
                .channel(tg));
        InboundEvent.MessageReceived old = tg.text("42", "old");
        done(tg.deliver(old));
        clock.advance(Duration.ofDays(20));
        done(tg.receive("42", "recent"));
        assertThat(inbox.pruneProcessedEvents()).isZero();

        clock.advance(Duration.ofDays(11)); // "old" was processed 31 days ago, "recent" 11
        assertThat(inbox.pruneProcessedEvents()).isEqualTo(1);
        assertThat(inbox.pruneProcessedEvents()).isZero();

        done(tg.deliver(old)); // a very late redelivery: no longer known by event id, still by platform message id
        assertThat(texts(inbox, SHOP)).containsExactly("old", "recent");
        assertThat(inbox.quarantined(SHOP, 10)).singleElement()
                .satisfies(q -> assertThat(q.input().reason()).startsWith("duplicate platform message id"));
        assertThatThrownBy(() -> Inbox.builder().store(newStoreForValidation())
                .processedEventRetention(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processedEventRetention")
                .hasMessageContaining("PT2H");
    }

    private InboxStore newStoreForValidation() {
        return new dev.switchboard.inbox.memory.InMemoryInboxStore();
    }

    // ---- health (issue item 5) -----------------------------------------------------------------------------------

    @Test
    public void healthReportsEveryChannelTheStoreAndTheWorkers() throws Exception {
        FakeChannel web = FakeChannel.of(SHOP, "web", ChannelType.WEBCHAT, Capabilities.builder().build());
        PollingFakeChannel tg = PollingFakeChannel.restartable(SHOP, "tg", new PollingFakeChannel.Platform());
        Inbox inbox = fastInbox(store()).channel(web).channel(tg).build();
        cleanup.add(inbox);
        assertThat(inbox.health().channels()).extracting(InboxHealth.ChannelReport::runningHere)
                .containsExactly(false, false);
        inbox.start();
        await().atMost(WAIT).until(tg::isRunning);
        await().atMost(WAIT).until(() -> inbox.health().workers().stream().allMatch(w -> w.lastRun().isPresent()
                || w.name().equals("retention")));

        InboxHealth h = inbox.health();
        assertThat(h.status()).isEqualTo(InboxHealth.Status.UP);
        assertThat(h.nodeId()).isEqualTo(inbox.nodeId());
        assertThat(h.store().reachable()).isTrue();
        assertThat(h.store().latency()).isPresent();
        assertThat(h.workers()).extracting(InboxHealth.Worker::name)
                .containsExactly("ingest", "outbox", "feed-dispatcher", "polling-supervisor", "retention");
        assertThat(h.workers()).allMatch(InboxHealth.Worker::alive).noneMatch(InboxHealth.Worker::failing);
        assertThat(h.channel(SHOP, ChannelId.of("web")).orElseThrow()).satisfies(r -> {
            assertThat(r.runningHere()).isTrue();
            assertThat(r.health().status()).isEqualTo(ChannelHealth.Status.UNKNOWN); // the fake does not report
            assertThat(r.healthy()).isTrue();
        });
        assertThat(h.channel(SHOP, ChannelId.of("tg")).orElseThrow()).satisfies(r -> {
            assertThat(r.shouldRunHere()).isTrue();
            assertThat(r.health().status()).isEqualTo(ChannelHealth.Status.UP);
            assertThat(r.restarts()).isZero();
        });
        assertThatThrownBy(() -> h.channels().add(h.channels().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);

        inbox.close();
        assertThat(inbox.health().workers()).noneMatch(InboxHealth.Worker::alive);
    }

    // ---- channels at runtime (issue item 6) ----------------------------------------------------------------------

    @Test
    public void aTenantsChannelsCanBeAddedReplacedAndRemovedWhileTheInboxRuns() throws Exception {
        Inbox inbox = started(fastInbox(store()));
        FakeChannel first = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        done(inbox.addChannel(first)); // onboarding a shop
        assertThat(first.isRunning()).isTrue();
        done(first.receive("42", "hello"));
        TenantInbox shop = inbox.forTenant(SHOP);
        Conversation c = shop.conversations(10).items().get(0);
        shop.reply(c.id(), Content.text("one"));
        await().atMost(WAIT).until(() -> first.sentTexts().contains("one"));
        assertThatThrownBy(() -> inbox.addChannel(first)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shop/tg");

        FakeChannel rotated = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        done(inbox.replaceChannel(rotated)); // a new token
        assertThat(first.isRunning()).isFalse();
        assertThat(rotated.isRunning()).isTrue();
        shop.reply(c.id(), Content.text("two"));
        await().atMost(WAIT).until(() -> rotated.sentTexts().contains("two"));
        assertThat(first.sentTexts()).containsExactly("one");

        // a reply is waiting for a retry when the channel is removed: it fails visibly instead of waiting forever
        rotated.sendPolicy(m -> new FakeChannel.Fail(new SendFailure(FailureKind.UNAVAILABLE,
                Optional.of(Duration.ofSeconds(1)), Optional.empty(), "502 (test)")));
        Message pending = shop.reply(c.id(), Content.text("three"));
        await().atMost(WAIT).until(() -> !rotated.attempts().isEmpty()
                && rotated.attempts().get(rotated.attempts().size() - 1).message().bubble().plain().equals("three"));
        done(inbox.removeChannel(SHOP, ChannelId.of("tg")));
        assertThat(rotated.isRunning()).isFalse();
        assertThat(inbox.channel(SHOP, ChannelId.of("tg"))).isEmpty();
        await().atMost(WAIT).until(() -> shop.message(pending.id()).orElseThrow().status() == DeliveryStatus.FAILED);
        assertThat(shop.message(pending.id()).orElseThrow().failureReason().orElseThrow())
                .contains("shop/tg was removed");
        assertThat(shop.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(InboxEvent.Type.DELIVERY_STATUS_CHANGED);
            assertThat(e.message()).contains(pending.id());
            assertThat(e.attributes()).containsEntry("status", "FAILED");
        });
        assertThatThrownBy(() -> shop.reply(c.id(), Content.text("four")))
                .isInstanceOf(ContactNotAllowedException.class);
    }

    @Test
    public void aPollingChannelAddedAtRuntimeStartsUnderItsLease() throws Exception {
        Inbox inbox = started(fastInbox(store()));
        PollingFakeChannel.Platform platform = new PollingFakeChannel.Platform();
        PollingFakeChannel tg = PollingFakeChannel.restartable(SHOP, "tg", platform);
        done(inbox.addChannel(tg));
        await().atMost(WAIT).until(tg::isRunning);
        platform.post("42", "hi");
        await().atMost(WAIT).until(() -> allMessages(inbox, SHOP).size() == 1);

        done(inbox.removeChannel(SHOP, ChannelId.of("tg")));
        assertThat(tg.isRunning()).isFalse();
        PollingFakeChannel again = PollingFakeChannel.restartable(SHOP, "tg", platform);
        done(inbox.addChannel(again)); // its lease was released with the removal, so it can be taken again at once
        await().atMost(WAIT).until(again::isRunning);
    }

    // ---- tenant views (issue item 8) -----------------------------------------------------------------------------

    @Test
    public void aTenantViewRepliesInItsTenantAndItsListenersHearOnlyIt() throws Exception {
        FakeChannel shopTg = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        TenantId other = TenantId.of("other");
        FakeChannel otherTg = FakeChannel.of(other, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox inbox = started(fastInbox(store()).channel(shopTg).channel(otherTg));
        TenantInbox shop = inbox.forTenant(SHOP);
        List<InboxEvent> heard = Collections.synchronizedList(new ArrayList<>());
        shop.addListener(heard::add);
        List<ReceivedMessage> received = Collections.synchronizedList(new ArrayList<>());
        shop.onMessageReceived(m -> {
            received.add(m);
            shop.reply(m.conversation().id(), Content.text("Thanks, " + m.customer().displayName().orElse("?")));
        });

        done(otherTg.receive("7", "not for the shop"));
        done(shopTg.receive("42", "where is my order?"));
        await().atMost(WAIT).until(() -> shopTg.sentTexts().contains("Thanks, User 42"));

        assertThat(otherTg.attempts()).isEmpty();
        assertThat(heard).isNotEmpty().allMatch(e -> e.tenant().equals(SHOP));
        assertThat(received).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("where is my order?");
            assertThat(m.message().tenant()).isEqualTo(SHOP);
            assertThat(m.conversation().customer()).isEqualTo(m.message().customer());
        });
        assertThat(shop.channels()).containsExactly(shopTg);
        assertThat(shop.quarantined(10)).isEmpty();
    }

    // ---- identity per tenant (issue item 9) ----------------------------------------------------------------------

    @Test
    public void eachTenantReadsPhoneNumbersInItsOwnRegion() throws Exception {
        TenantId minsk = TenantId.of("minsk");
        TenantId moscow = TenantId.of("moscow");
        FakeChannel byTg = FakeChannel.of(minsk, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        FakeChannel ruTg = FakeChannel.of(moscow, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox inbox = started(fastInbox(store()).channel(byTg).channel(ruTg)
                .identity(minsk, IdentityEngine.builder().defaultRegion("BY").build())
                .identity(moscow, IdentityEngine.builder().defaultRegion("RU").build()));

        done(byTg.receive("1", "my number is 8 029 123-45-67"));
        done(ruTg.receive("1", "my number is 8 916 123-45-67"));

        assertThat(phones(inbox, minsk)).containsExactly("+375291234567");
        assertThat(phones(inbox, moscow)).containsExactly("+79161234567");
    }

    private static List<String> phones(Inbox inbox, TenantId tenant) {
        Message m = allMessages(inbox, tenant).get(0);
        return inbox.customer(tenant, m.customer()).orElseThrow().contacts().stream()
                .map(CustomerContact::point).filter(p -> p.kind() == ContactPoint.Kind.PHONE)
                .map(ContactPoint::value).toList();
    }
}
