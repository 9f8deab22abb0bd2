package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic acknowledgements with the expected answer time, on a store: the text states the response target while
 * the business is open and the next opening while it is closed; at most one per conversation per period, also
 * across nodes and restarts; none after a recent agent reply, to automated mail, on excluded channel types or to
 * customers who opted out. Time is a {@link ManualClock}; nothing sleeps. A store vendor extends it and implements
 * {@link #newStore()} (a fresh, empty store per test; the suite closes it); test methods are public so subclasses in
 * other packages inherit them.
 */
public abstract class AcknowledgementContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Monday 2026-12-07 10:00 in Moscow. */
    private static final Instant MONDAY_MORNING = Instant.parse("2026-12-07T07:00:00Z");
    /** Friday 2026-12-11 19:00 in Moscow, after hours. */
    private static final Instant FRIDAY_EVENING = Instant.parse("2026-12-11T16:00:00Z");

    static final BusinessCalendar MOSCOW = BusinessCalendar.builder("moscow-office", "Europe/Moscow")
            .openWeekdays("09:00", "18:00").build();

    static final AckPolicy POLICY = AckPolicy.builder()
            .template("en", AckPolicy.State.OPEN, "Hi {customer_name|there}, we'll answer within {response_minutes}"
                    + " minutes.")
            .template("en", AckPolicy.State.CLOSED, "We're closed now; we'll answer on {opening_day} after"
                    + " {opening_time} (Moscow time).")
            .template("ru", AckPolicy.State.OPEN, "Ответим в течение {response_minutes} минут.")
            .template("ru", AckPolicy.State.CLOSED, "Сейчас мы закрыты; ответим в {opening_day} после {opening_time}"
                    + " по Москве.")
            .exclude(ChannelType.VK)
            .build();

    /** A fresh, empty store for one test; closed after it. */
    protected abstract InboxStore newStore();

    private InboxStore store;
    private ManualClock clock;
    private final List<Inbox> inboxes = new ArrayList<>();
    private FakeChannel tg;
    private FakeChannel mail;
    private Inbox inbox;

    @BeforeEach
    void start() {
        store = newStore();
        clock = new ManualClock(MONDAY_MORNING);
        tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        mail = FakeChannel.of("mail", ChannelType.EMAIL);
        inbox = node("node-a", tg, mail);
    }

    /** A node on the shared store with these channels, acknowledgements on, Moscow hours. */
    private Inbox node(String id, FakeChannel... channels) {
        Inbox.Builder b = Inbox.builder().store(store).clock(clock).nodeId(id).acknowledgements(POLICY)
                .eventPollInterval(Duration.ofMillis(50)).leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(2))
                        .leaseDuration(Duration.ofSeconds(5)).build());
        for (FakeChannel c : channels) {
            b.channel(c);
        }
        Inbox node = b.build();
        node.calendars(TenantId.DEFAULT).setDefault(MOSCOW);
        node.start();
        inboxes.add(node);
        return node;
    }

    @AfterEach
    void stop() {
        for (Inbox i : inboxes) {
            i.close();
        }
        store.close();
    }

    private static void done(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private List<InboxEvent> acks() {
        return inbox.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.ACKNOWLEDGEMENT_QUEUED).toList();
    }

    private Conversation only() {
        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    public void duringHoursTheCustomerIsToldTheResponseTarget() throws Exception {
        done(tg.receive("anna", "where is my order?"));

        await().atMost(WAIT).until(() -> !tg.sent().isEmpty());
        assertThat(tg.sentTexts()).containsExactly("Hi User anna, we'll answer within 5 minutes.");
        assertThat(tg.sent().get(0).message().automatic()).isTrue();
        InboxEvent ack = acks().get(0);
        assertThat(ack.attribute(InboxEvent.Attribute.EXPECTED_BY))
                .contains(MONDAY_MORNING.plus(Duration.ofMinutes(5)).toString());
        assertThat(ack.attribute(InboxEvent.Attribute.BUSINESS_OPEN)).contains("true");
        assertThat(ack.attribute(InboxEvent.Attribute.CALENDAR)).contains("moscow-office");
        Conversation c = only();
        assertThat(c.firstResponseAt()).as("an acknowledgement is not a first response").isEmpty();
        Message stored = inbox.message(TenantId.DEFAULT, ack.message().orElseThrow()).orElseThrow();
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, stored.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
    }

    @Test
    public void afterHoursTheNextOpeningIsStatedAndEmailGetsItsOwnTarget() throws Exception {
        clock.advance(Duration.between(MONDAY_MORNING, FRIDAY_EVENING));
        done(mail.receive("anna@example.com", "hello"));

        await().atMost(WAIT).until(() -> !mail.sent().isEmpty());
        assertThat(mail.sentTexts()).containsExactly(
                "We're closed now; we'll answer on Monday after 09:00 (Moscow time).");
        InboxEvent ack = acks().get(0);
        assertThat(ack.attribute(InboxEvent.Attribute.BUSINESS_OPEN)).contains("false");
        // Monday 09:00 Moscow plus the email target of one business hour
        assertThat(ack.attribute(InboxEvent.Attribute.EXPECTED_BY)).contains("2026-12-14T07:00:00Z");
    }

    @Test
    public void theCustomersLanguageIsUsedWhenItHasTemplates() throws Exception {
        ChannelAccount ivan = ChannelAccount.of(TenantId.DEFAULT, tg.id(), "ivan",
                Profile.named("Иван").withLanguage("ru-RU"));
        done(tg.deliver(InboundEvent.MessageReceived.of("ru-1", ivan, clock.instant(), "ru-1",
                Content.text("Здравствуйте"))));
        await().atMost(WAIT).until(() -> !tg.sent().isEmpty());
        assertThat(tg.sentTexts()).containsExactly("Ответим в течение 5 минут.");
        assertThat(acks().get(0).attribute(InboxEvent.Attribute.LANGUAGE)).contains("ru");
    }

    @Test
    public void atMostOncePerConversationPerPeriod() throws Exception {
        done(tg.receive("anna", "one"));
        done(tg.receive("anna", "two"));
        clock.advance(Duration.ofHours(1));
        done(tg.receive("anna", "three"));
        assertThat(acks()).hasSize(1);

        clock.advance(Duration.ofHours(3)); // the 4-hour period has passed
        done(tg.receive("anna", "four"));
        assertThat(acks()).hasSize(2);
        assertThat(acks()).allMatch(e -> e.conversation().equals(acks().get(0).conversation()));
    }

    @Test
    public void theOncePerPeriodDecisionSurvivesARestart() throws Exception {
        done(tg.receive("anna", "one"));
        inbox.close();
        FakeChannel tgAgain = FakeChannel.of("tg", ChannelType.TELEGRAM);
        inbox = node("node-b", tgAgain);
        done(tgAgain.receive("anna", "after the restart"));
        assertThat(acks()).hasSize(1);
    }

    @Test
    public void twoNodesStoringOneConversationAtOnceAcknowledgeOnce() throws Exception {
        done(tg.receive("anna", "first")); // the conversation exists; its acknowledgement is the only one allowed
        FakeChannel tgB = FakeChannel.of("tg", ChannelType.TELEGRAM);
        node("node-b", tgB);
        assertThat(acks()).hasSize(1);
        clock.advance(Duration.ofHours(5)); // the period is over: exactly one of the racing messages may acknowledge
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger n = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FakeChannel via = i % 2 == 0 ? tg : tgB;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    String id = "race-" + n.incrementAndGet(); // both fakes count their own ids from 1
                    done(via.deliver(InboundEvent.MessageReceived.of(id, via.account("anna"), clock.instant(), id,
                            Content.text("race " + id))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(inbox.messages(only().id())).filteredOn(m -> m.content().plainText().startsWith("race"))
                .hasSize(8);
        assertThat(acks()).hasSize(2);
    }

    @Test
    public void noAcknowledgementRightAfterAnAgentReplied() throws Exception {
        AckPolicy everyTime = AckPolicy.builder().period(Duration.ZERO)
                .template("en", AckPolicy.State.OPEN, "Within {response_minutes} minutes.")
                .template("en", AckPolicy.State.CLOSED, "Closed until {opening_time}.").build();
        inbox.forTenant(TenantId.DEFAULT).setAcknowledgements(everyTime);
        done(tg.receive("anna", "one"));
        assertThat(acks()).hasSize(1);
        inbox.reply(only().id(), Content.text("Looking into it"));
        clock.advance(Duration.ofMinutes(10));
        done(tg.receive("anna", "thanks"));
        assertThat(acks()).as("an agent answered 10 minutes ago").hasSize(1);
        clock.advance(Duration.ofMinutes(25));
        done(tg.receive("anna", "any news?"));
        assertThat(acks()).as("the agent's reply is 35 minutes old").hasSize(2);
    }

    @Test
    public void neverToAutomatedMail() throws Exception {
        done(mail.receive("anna@example.com", "hello"));
        await().atMost(WAIT).until(() -> mail.sent().size() == 1);
        String ours = mail.sent().get(0).platformMessageId().orElseThrow();
        clock.advance(Duration.ofHours(5));
        done(mail.deliver(new InboundEvent.MessageReceived("ooo-1", mail.account("anna@example.com"),
                clock.instant(), "ooo-1", Content.text("I am out of office"), ThreadHints.replyTo(ours), List.of(),
                true)));
        assertThat(inbox.messages(only().id())).extracting(m -> m.content().plainText())
                .contains("I am out of office");
        assertThat(acks()).hasSize(1);
    }

    @Test
    public void notOnExcludedChannelTypesNorToCustomersWhoOptedOut() throws Exception {
        FakeChannel vk = FakeChannel.of("vk", ChannelType.VK);
        Inbox withVk = node("node-vk", vk);
        done(vk.receive("1001", "hello from vk"));
        assertThat(acks()).isEmpty();

        done(tg.receive("bob", "first"));
        assertThat(acks()).hasSize(1);
        Conversation bobs = withVk.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .filter(c -> inbox.messages(c.id()).stream().anyMatch(m -> m.content().plainText().equals("first")))
                .findFirst().orElseThrow();
        inbox.forTenant(TenantId.DEFAULT).updatePreferences(bobs.customer(), p -> p.withConsent(
                AckPolicy.CONSENT_PURPOSE, false, "settings page", clock.instant()));
        clock.advance(Duration.ofHours(5));
        done(tg.receive("bob", "second"));
        assertThat(acks()).as("bob revoked acknowledgements").hasSize(1);

        inbox.forTenant(TenantId.DEFAULT).updatePreferences(bobs.customer(), p -> p.withDoNotContact(
                ChannelType.TELEGRAM));
        done(tg.receive("bob", "third"));
        assertThat(acks()).hasSize(1);
        assertThat(inbox.messages(bobs.id())).extracting(m -> m.content().plainText()).contains("third");
    }

    @Test
    public void aCalendarThatNeverOpensAgainSkipsTheAcknowledgementButStoresTheMessage() throws Exception {
        BusinessCalendar.Builder shut = BusinessCalendar.builder("shut", "Europe/Moscow")
                .open(java.time.DayOfWeek.MONDAY, "09:00", "10:00");
        java.time.LocalDate day = java.time.LocalDate.of(2026, 12, 8);
        for (int i = 0; i < 4000; i++) {
            shut.holiday(day.plusDays(i), "closed");
        }
        inbox.forTenant(TenantId.DEFAULT).calendars().setDefault(shut.build());
        clock.advance(Duration.ofHours(3)); // Monday 13:00: closed, and never open again within ten years
        done(tg.receive("anna", "hello?"));
        assertThat(inbox.messages(only().id())).extracting(m -> m.content().plainText()).containsExactly("hello?");
        assertThat(acks()).isEmpty();
        assertThat(inbox.quarantined(10)).isEmpty();
    }

    @Test
    public void aDisabledTenantSendsNothingAndAChangeAppliesAtOnce() throws Exception {
        inbox.forTenant(TenantId.DEFAULT).setAcknowledgements(AckPolicy.disabled());
        done(tg.receive("anna", "hello"));
        assertThat(acks()).isEmpty();
        inbox.forTenant(TenantId.DEFAULT).setAcknowledgements(POLICY);
        inbox.forTenant(TenantId.DEFAULT).calendars().setDefault(BusinessCalendar.builder("closed-today",
                "Europe/Moscow").open(java.time.DayOfWeek.TUESDAY, "09:00", "18:00").build());
        done(tg.receive("anna", "hello?"));
        await().atMost(WAIT).until(() -> !tg.sent().isEmpty());
        assertThat(tg.sentTexts()).containsExactly(
                "We're closed now; we'll answer on Tuesday after 09:00 (Moscow time).");
    }
}
