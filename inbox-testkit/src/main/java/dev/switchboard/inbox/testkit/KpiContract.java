package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.kpi.DurationStats;
import dev.switchboard.inbox.kpi.KpiDimension;
import dev.switchboard.inbox.kpi.KpiDistribution;
import dev.switchboard.inbox.kpi.KpiMetric;
import dev.switchboard.inbox.kpi.KpiPeriod;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiRow;
import dev.switchboard.inbox.kpi.KpiSummary;
import dev.switchboard.inbox.kpi.TimeBasis;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The KPIs against any {@link InboxStore}, driven through a real inbox (fake Telegram and email channels, agent
 * replies through {@code Inbox.reply}, resolutions, reopenings, a customer merge; ratings, surveys, complaints and SLA
 * breaches appended to the feed as their producers append them): a small scenario whose KPIs are computed by hand in
 * the comments, a reopening by hand, a seeded generator of a few hundred actions whose first-response and resolution figures are
 * recomputed independently from the generator's own log, tenant isolation, a second inbox on the same store (a
 * restart or another node) giving the same numbers, the CSV export giving exactly the API's numbers, and the
 * recomputation of business times after a retroactive calendar change. Time is a {@link ManualClock}. A store vendor
 * extends it and implements {@link #newStore()}; test methods are public so subclasses in other packages inherit them.
 */
public abstract class KpiContract {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Monday 2026-03-02 08:00 UTC. */
    private static final Instant MONDAY_EIGHT = Instant.parse("2026-03-02T08:00:00Z");
    private static final LocalDate MARCH = LocalDate.of(2026, 3, 1);
    private static final LocalDate APRIL = LocalDate.of(2026, 4, 1);
    private static final TenantId SHOP = TenantId.DEFAULT;

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    /** Another node's store over the same data as {@code first}; the default shares {@code first}. */
    protected InboxStore anotherNode(InboxStore first) {
        return first;
    }

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected final ManualClock clock = new ManualClock(MONDAY_EIGHT);
    protected FakeChannel telegram;
    protected FakeChannel email;
    protected Inbox inbox;
    protected InboxStore store;
    protected TenantInbox shop;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** Mon-Fri 09:00-18:00 UTC. */
    protected static BusinessCalendar officeHours() {
        return BusinessCalendar.builder("office", "UTC").openWeekdays("09:00", "18:00").build();
    }

    protected void start() {
        store = newStore();
        cleanup.add(store);
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        inbox = Inbox.builder().store(store).clock(clock).channel(telegram).channel(email)
                .reopenWindow(Duration.ofDays(7)).eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(inbox);
        inbox.start();
        shop = inbox.forTenant(SHOP);
        shop.calendars().setDefault(officeHours());
    }

    /** A customer writes on a channel; returns their open conversation. */
    protected ConversationId write(FakeChannel channel, String user) throws Exception {
        done(channel.deliver(channel.text(user, "message from " + user + " at " + clock.instant())));
        Customer customer = inbox.customerByAccount(channel.account(user).key()).orElseThrow();
        return openConversationOf(customer.id());
    }

    private ConversationId openConversationOf(CustomerId customer) {
        return inbox.conversations(ConversationQuery.builder(SHOP).limit(1000).build()).items().stream()
                .filter(c -> c.customer().equals(customer))
                .max(Comparator.comparing(Conversation::updatedAt)).orElseThrow().id();
    }

    protected CustomerId customerOf(FakeChannel channel, String user) {
        return inbox.customerByAccount(channel.account(user).key()).orElseThrow().id();
    }

    protected void reply(ConversationId conversation, String agent) {
        inbox.reply(conversation, Content.text("answer"), ReplyOptions.defaults().agent(agent));
    }

    protected void botReply(ConversationId conversation) {
        inbox.reply(conversation, Content.text("an automatic answer"), ReplyOptions.defaults().automated(true));
    }

    /** Appends an event to the feed the way the survey, complaint and SLA producers do. */
    protected void append(TenantId tenant, InboxEvent.Type type, ConversationId conversation, String... attributes) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put(attributes[i], attributes[i + 1]);
        }
        store.inTransaction(tx -> tx.appendEvent(new InboxEvent(0, tenant, type, Optional.of(conversation),
                Optional.empty(), Optional.empty(), attrs, clock.instant())));
    }

    protected void at(String time) {
        Instant target = Instant.parse(time);
        clock.advance(Duration.between(clock.instant(), target));
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Optional<Duration> minutes(long m) {
        return Optional.of(Duration.ofMinutes(m));
    }

    /**
     * The small scenario of docs/kpis.md, one Monday with office hours 09:00-18:00:
     * anna (Telegram) writes at 08:00, a bot answers at 08:05 (not a response), ann is assigned at 08:30 and answers
     * at 09:30 (first response 90 min calendar, 30 min business), anna writes at 09:40, ann answers at 09:50 (next
     * response 10 min), anna writes at 09:52 and 09:55, ann answers at 09:58 (next response 6 min, from the first of
     * the run), resolved at 10:00 (resolution 120 min calendar, 60 business); anna writes at 10:30 (cycle 2 opens),
     * ann answers at 11:00 (30 min), anna writes at 11:05, ann answers at 11:25 (next response 20 min), resolved at
     * 11:30 (60 min), anna rates 4 after a survey. boris (email) writes at 12:00, priority HIGH, no answer; the
     * first-response deadline is breached and the conversation marked as a complaint against bob. carol writes on
     * Telegram at 13:00 and by email at 13:10 (two customers, two conversations); merged at 13:20, the Telegram
     * conversation is folded into the email one; ann answers by email at 13:30: carol's first response is 30 min,
     * counted from her first message on Telegram. SLA clocks (as the SLA engine publishes SLA_STARTED): policy
     * {@code standard} (first response and resolution) for anna's first cycle and for boris, policy {@code vip}
     * (first response only) for carol's email conversation; anna's second cycle and carol's folded one have none.
     */
    protected void smallScenario() throws Exception {
        at("2026-03-02T08:00:00Z");
        ConversationId a = write(telegram, "anna");
        slaStarted(a, "standard", "FIRST_RESPONSE", "RESOLUTION");
        at("2026-03-02T08:05:00Z");
        botReply(a);
        at("2026-03-02T08:30:00Z");
        inbox.assign(a, "ann");
        at("2026-03-02T09:30:00Z");
        reply(a, "ann");
        at("2026-03-02T09:40:00Z");
        write(telegram, "anna");
        at("2026-03-02T09:50:00Z");
        reply(a, "ann");
        at("2026-03-02T09:52:00Z");
        write(telegram, "anna");
        at("2026-03-02T09:55:00Z");
        write(telegram, "anna");
        at("2026-03-02T09:58:00Z");
        reply(a, "ann");
        at("2026-03-02T10:00:00Z");
        inbox.resolve(a);
        at("2026-03-02T10:30:00Z");
        assertThat(write(telegram, "anna")).isEqualTo(a);
        at("2026-03-02T11:00:00Z");
        reply(a, "ann");
        at("2026-03-02T11:05:00Z");
        write(telegram, "anna");
        at("2026-03-02T11:25:00Z");
        reply(a, "ann");
        at("2026-03-02T11:30:00Z");
        inbox.resolve(a);
        append(SHOP, InboxEvent.Type.SURVEY_SENT, a, "channel", "tg", "survey", "s-1", "agent", "ann");
        at("2026-03-02T11:40:00Z");
        append(SHOP, InboxEvent.Type.SATISFACTION_RATED, a, "rating", "4", "agent", "ann", "survey", "s-1");

        at("2026-03-02T12:00:00Z");
        ConversationId b = write(email, "boris");
        slaStarted(b, "standard", "FIRST_RESPONSE", "RESOLUTION");
        at("2026-03-02T12:01:00Z");
        inbox.setPriority(b, Priority.HIGH);
        at("2026-03-02T12:30:00Z");
        append(SHOP, InboxEvent.Type.SLA_BREACHED, b, "slaKind", "FIRST_RESPONSE", "slaPolicy", "standard",
                "dueAt", "2026-03-02T12:30:00Z");
        append(SHOP, InboxEvent.Type.COMPLAINT_MARKED, b, "agent", "bob", "source", "agent");

        at("2026-03-02T13:00:00Z");
        write(telegram, "carol");
        at("2026-03-02T13:10:00Z");
        ConversationId d = write(email, "carol@example.com");
        slaStarted(d, "vip", "FIRST_RESPONSE");
        at("2026-03-02T13:20:00Z");
        inbox.merge(SHOP, customerOf(telegram, "carol"), customerOf(email, "carol@example.com"), "lead",
                "same person");
        at("2026-03-02T13:30:00Z");
        reply(d, "ann");
    }

    /** Appends SLA_STARTED for each kind, as the SLA engine does when a policy's clock starts. */
    protected void slaStarted(ConversationId conversation, String policy, String... kinds) {
        for (String kind : kinds) {
            append(SHOP, InboxEvent.Type.SLA_STARTED, conversation, "slaKind", kind, "slaPolicy", policy, "dueAt",
                    clock.instant().plus(Duration.ofMinutes(30)).toString());
        }
    }

    @Test
    public void theSmallScenarioGivesTheHandComputedKpis() throws Exception {
        start();
        smallScenario();

        KpiSummary calendar = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).build());
        KpiRow t = calendar.total();
        assertThat(t.conversations()).isEqualTo(5); // anna 1, anna 2 (reopened), boris, carol tg (folded), carol mail
        assertThat(t.reopened()).isEqualTo(1);
        assertThat(t.messagesIn()).isEqualTo(9);
        assertThat(t.messagesOut()).isEqualTo(7); // the bot's reply counts as a message, not as a response
        assertThat(t.resolved()).isEqualTo(2);
        assertThat(t.folded()).isEqualTo(1);
        assertThat(t.resolutionRate()).contains(0.5); // 2 / (5 - 1)
        // first responses 90, 30, 30 min: median = 2nd of 3, p90 = 3rd of 3
        assertThat(t.firstResponse()).isEqualTo(new DurationStats(3, minutes(50), minutes(30), minutes(90),
                minutes(90)));
        // resolutions 120 and 60 min: median = 1st of 2, p90 = 2nd of 2
        assertThat(t.resolution()).isEqualTo(new DurationStats(2, minutes(90), minutes(60), minutes(120),
                minutes(120)));
        // next responses 10, 6, 20 min: mean 12, median = 2nd of 3 sorted (6, 10, 20), p90 = 3rd
        assertThat(t.nextResponse()).isEqualTo(new DurationStats(3, minutes(12), minutes(10), minutes(20),
                minutes(20)));
        assertThat(t.complaints()).isEqualTo(1);
        assertThat(t.ratings()).isEqualTo(1);
        assertThat(t.csatAverage()).contains(4.0);
        assertThat(t.surveysSent()).isEqualTo(1);
        assertThat(t.surveyResponseRate()).contains(1.0);
        // SLA clocks: first response anna 1 (met), boris (breached), carol by email (met); anna's second cycle and
        // carol's folded one had no clock and do not count
        assertThat(t.firstResponseSlaAttainment()).contains(2.0 / 3);
        // resolution clocks: anna 1 (met); boris still running, not breached: not counted yet
        assertThat(t.resolutionSlaAttainment()).contains(1.0);
        assertThat(calendar.rows()).containsExactly(t);

        KpiRow business = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).basis(TimeBasis.BUSINESS).build())
                .total();
        // 08:00 -> 09:30 is 30 business minutes; 08:00 -> 10:00 is 60
        assertThat(business.firstResponse()).isEqualTo(new DurationStats(3, minutes(30), minutes(30), minutes(30),
                minutes(30)));
        assertThat(business.resolution()).isEqualTo(new DurationStats(2, minutes(60), minutes(60), minutes(60),
                minutes(60)));
        assertThat(business.nextResponse()).isEqualTo(t.nextResponse()); // all waits within office hours

        KpiSummary byPolicy = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL)
                .groupBy(KpiDimension.SLA_POLICY).build());
        assertThat(byPolicy.rows()).extracting(r -> r.group().get(KpiDimension.SLA_POLICY), KpiRow::conversations,
                        KpiRow::firstResponseSlaAttainment, KpiRow::resolutionSlaAttainment)
                .containsExactly(tuple("", 2L, Optional.empty(), Optional.empty()), // no clock: not counted as met
                        tuple("standard", 2L, Optional.of(0.5), Optional.of(1.0)), // anna met, boris breached
                        tuple("vip", 1L, Optional.of(1.0), Optional.empty())); // no resolution target
        assertThat(byPolicy.rows().get(1).nextResponse().count()).isEqualTo(2); // anna's first cycle's waits

        KpiSummary byAgent = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT).build());
        assertThat(byAgent.rows()).extracting(r -> r.group().get(KpiDimension.AGENT), KpiRow::conversations,
                        KpiRow::complaints, KpiRow::ratings)
                .containsExactly(tuple("", 1L, 0L, 0L), // carol's folded conversation
                        tuple("ann", 3L, 0L, 1L),
                        tuple("bob", 1L, 1L, 0L));
        assertThat(byAgent.rows().get(1).firstResponse().median()).isEqualTo(minutes(30));

        KpiSummary byPriority = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL)
                .groupBy(KpiDimension.PRIORITY).build());
        assertThat(byPriority.rows()).extracting(r -> r.group().get(KpiDimension.PRIORITY), KpiRow::conversations,
                        KpiRow::resolved)
                .containsExactly(tuple("HIGH", 1L, 0L),
                        tuple("NORMAL", 4L, 2L));

        KpiSummary byChannelType = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL)
                .groupBy(KpiDimension.CHANNEL_TYPE).period(KpiPeriod.DAY).build());
        assertThat(byChannelType.rows()).extracting(KpiRow::period, r -> r.group().get(KpiDimension.CHANNEL_TYPE),
                        KpiRow::conversations)
                .containsExactly(tuple(Optional.of("2026-03-02"), "email", 2L),
                        tuple(Optional.of("2026-03-02"), "telegram", 3L));

        assertThat(shop.kpis().summary(KpiQuery.builder(LocalDate.of(2026, 3, 3), APRIL).build()).total()
                .conversations()).isZero();
    }

    @Test
    public void anAgentReopeningAResolvedConversationStartsANewCycle() throws Exception {
        start();
        ConversationId a = write(telegram, "anna");
        clock.advance(Duration.ofMinutes(5));
        reply(a, "ann");
        clock.advance(Duration.ofMinutes(5));
        inbox.resolve(a);
        clock.advance(Duration.ofMinutes(5));
        inbox.setStatus(a, dev.switchboard.model.ConversationStatus.OPEN); // by hand, no customer message
        clock.advance(Duration.ofMinutes(5));
        reply(a, "ann"); // no customer message in the new cycle: not a response
        KpiRow t = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).build()).total();
        assertThat(t.conversations()).isEqualTo(2);
        assertThat(t.reopened()).isEqualTo(1);
        assertThat(t.resolved()).isEqualTo(1);
        assertThat(t.firstResponse()).isEqualTo(new DurationStats(1, minutes(5), minutes(5), minutes(5),
                minutes(5)));
        assertThat(t.messagesOut()).isEqualTo(2);
    }

    /**
     * A wait is stored with its cycle's keys and moves with them: anna waits 4 minutes for ann's second answer, a
     * summary stores the wait, then bob takes the conversation at HIGH priority; the wait now counts for bob and HIGH,
     * as its cycle does (another projection page than the wait's).
     */
    @Test
    public void aWaitMovesWithItsCyclesAgentAndPriority() throws Exception {
        start();
        ConversationId a = write(telegram, "anna");
        clock.advance(Duration.ofMinutes(1));
        reply(a, "ann");
        clock.advance(Duration.ofMinutes(1));
        write(telegram, "anna");
        clock.advance(Duration.ofMinutes(4));
        reply(a, "ann");
        KpiQuery byAgent = KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT, KpiDimension.PRIORITY).build();
        assertThat(shop.kpis().summary(byAgent).rows()).extracting(r -> r.group().get(KpiDimension.AGENT),
                r -> r.nextResponse().count()).containsExactly(tuple("ann", 1L));

        inbox.assign(a, "bob");
        inbox.setPriority(a, Priority.HIGH);
        KpiSummary after = shop.kpis().summary(byAgent);
        assertThat(after.rows()).extracting(r -> r.group().get(KpiDimension.AGENT),
                        r -> r.group().get(KpiDimension.PRIORITY), r -> r.nextResponse().max())
                .containsExactly(tuple("bob", "HIGH", minutes(4)));
        assertThat(after.total().nextResponse().count()).isEqualTo(1);
        assertThat(shop.kpis().distribution(KpiQuery.builder(MARCH, APRIL).build(), KpiMetric.NEXT_RESPONSE,
                List.of(Duration.ofMinutes(4))).buckets()).extracting(KpiDistribution.Bucket::count)
                .containsExactly(0L, 1L);
    }

    @Test
    public void anotherTenantsEventsNeverCount() throws Exception {
        start();
        smallScenario();
        TenantId other = TenantId.of("other-shop");
        ConversationId foreign = ConversationId.of("foreign-1");
        append(other, InboxEvent.Type.CONVERSATION_OPENED, foreign, "channel", "tg");
        append(other, InboxEvent.Type.MESSAGE_RECEIVED, foreign, "channel", "tg", "channelType", "telegram");
        clock.advance(Duration.ofMinutes(3));
        append(other, InboxEvent.Type.REPLY_QUEUED, foreign, "channel", "tg", "agent", "ann", "parts", "1");
        append(other, InboxEvent.Type.COMPLAINT_MARKED, foreign, "agent", "ann", "source", "agent");

        KpiRow mine = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).build()).total();
        assertThat(mine.conversations()).isEqualTo(5);
        assertThat(mine.complaints()).isEqualTo(1);
        assertThat(mine.firstResponse().count()).isEqualTo(3);
        KpiRow theirs = inbox.kpis(other).summary(KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT).build())
                .total();
        assertThat(theirs.conversations()).isEqualTo(1);
        assertThat(theirs.firstResponse().median()).isEqualTo(minutes(3));
        assertThat(theirs.complaints()).isEqualTo(1);
    }

    @Test
    public void anotherInboxOnTheSameStoreGivesTheSameNumbers() throws Exception {
        start();
        smallScenario();
        KpiQuery query = KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT, KpiDimension.CHANNEL)
                .period(KpiPeriod.WEEK).basis(TimeBasis.BUSINESS).build();
        KpiSummary here = shop.kpis().summary(query);

        InboxStore second = anotherNode(store);
        if (second != store) {
            cleanup.add(second);
        }
        Inbox restarted = Inbox.builder().store(second).clock(clock).channel(FakeChannel.of("tg", ChannelType.TELEGRAM))
                .build();
        cleanup.add(restarted);
        restarted.forTenant(SHOP).calendars().setDefault(officeHours());
        assertThat(restarted.forTenant(SHOP).kpis().summary(query)).isEqualTo(here);
        // both inboxes project from the one checkpoint: the delivery statuses the first one's outbox still appends
        // are projected once, by whichever asks first, and change no KPI
        restarted.forTenant(SHOP).kpis().catchUp();
        assertThat(shop.kpis().summary(query)).isEqualTo(here);
        assertThat(restarted.forTenant(SHOP).kpis().summary(query)).isEqualTo(here);
    }

    @Test
    public void theCsvExportHasExactlyTheNumbersOfTheApi() throws Exception {
        start();
        smallScenario();
        KpiQuery query = KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT).basis(TimeBasis.BUSINESS).build();
        KpiSummary summary = shop.kpis().summary(query);
        StringWriter out = new StringWriter();
        shop.kpis().exportCsv(query, out);
        List<String> lines = List.of(out.toString().split("\r\n"));
        assertThat(lines).hasSize(1 + summary.rows().size() + 1);
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertThat(header.subList(0, 4)).containsExactly("scope", "period", "agent", "conversations");
        for (int i = 0; i <= summary.rows().size(); i++) {
            KpiRow row = i < summary.rows().size() ? summary.rows().get(i) : summary.total();
            Map<String, String> csv = new HashMap<>();
            String[] fields = lines.get(i + 1).split(",", -1);
            for (int c = 0; c < header.size(); c++) {
                csv.put(header.get(c), fields[c]);
            }
            assertThat(csv.get("scope")).isEqualTo(i < summary.rows().size() ? "group" : "total");
            assertThat(csv.get("conversations")).isEqualTo(Long.toString(row.conversations()));
            assertThat(csv.get("resolved")).isEqualTo(Long.toString(row.resolved()));
            assertThat(csv.get("first_response_median_ms"))
                    .isEqualTo(row.firstResponse().median().map(d -> Long.toString(d.toMillis())).orElse(""));
            assertThat(csv.get("first_response_p90_ms"))
                    .isEqualTo(row.firstResponse().p90().map(d -> Long.toString(d.toMillis())).orElse(""));
            assertThat(csv.get("resolution_mean_ms"))
                    .isEqualTo(row.resolution().mean().map(d -> Long.toString(d.toMillis())).orElse(""));
            assertThat(csv.get("csat_average")).isEqualTo(row.csatAverage().map(String::valueOf).orElse(""));
            assertThat(csv.get("resolution_rate")).isEqualTo(row.resolutionRate().map(String::valueOf).orElse(""));
            assertThat(csv.get("complaints")).isEqualTo(Long.toString(row.complaints()));
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("total,,,5,1,9,7,2,1,0.5,3,1800000,1800000,1800000,");
        assertThat(header).contains("next_response_median_ms", "next_response_p90_ms");
    }

    @Test
    public void businessTimesAreRecomputedOnRequestAfterARetroactiveCalendarChange() throws Exception {
        start();
        smallScenario();
        KpiQuery business = KpiQuery.builder(MARCH, APRIL).basis(TimeBasis.BUSINESS).build();
        assertThat(shop.kpis().summary(business).total().firstResponse().max()).isEqualTo(minutes(30));

        // the office turns out to have opened at 08:00 that day: the stored figures keep the calendar of the time
        shop.calendars().setDefault(BusinessCalendar.builder("office", "UTC").openWeekdays("08:00", "18:00").build());
        assertThat(shop.kpis().summary(business).total().firstResponse().max()).isEqualTo(minutes(30));

        long rewritten = shop.kpis().recomputeBusinessTimes(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(rewritten).isEqualTo(5);
        KpiRow after = shop.kpis().summary(business).total();
        assertThat(after.firstResponse().max()).isEqualTo(minutes(90)); // anna's 08:00 -> 09:30 is now all open
        assertThat(after.resolution().max()).isEqualTo(minutes(120));
        assertThat(shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).build()).total().firstResponse().max())
                .isEqualTo(minutes(90));
        assertThat(after.nextResponse().max()).isEqualTo(minutes(20));

        // the office opened at 10:00 after all: anna's waits of 09:40-09:50 and 09:52-09:58 had no business time
        shop.calendars().setDefault(BusinessCalendar.builder("office", "UTC").openWeekdays("10:00", "18:00").build());
        assertThat(shop.kpis().summary(business).total().nextResponse().median()).isEqualTo(minutes(10));
        shop.kpis().recomputeBusinessTimes(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(shop.kpis().summary(business).total().nextResponse()).isEqualTo(new DurationStats(3,
                Optional.of(Duration.ofMillis(400_000)), minutes(0), minutes(20), minutes(20))); // mean 20 / 3 min
        assertThat(shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).build()).total().nextResponse().median())
                .isEqualTo(minutes(10)); // calendar time is not the calendar's business
    }

    /**
     * The SLA engine's own clocks: policy {@code chat} (Telegram, first response 1 h, resolution 4 h). anna writes
     * at 08:00 and is answered at 08:05 (met) and resolved at 08:06 (met); boris writes at 08:07 and waits (running,
     * not counted yet); carol writes by email (no policy: not counted). Nothing is due before 09:00, so no breach can
     * race the summary.
     */
    @Test
    public void theSlaEnginesClocksCountPerPolicy() throws Exception {
        start();
        shop.sla().configure(List.of(dev.switchboard.inbox.sla.SlaPolicy.builder("chat")
                .channelTypes(ChannelType.TELEGRAM).firstResponse(Duration.ofHours(1))
                .resolution(Duration.ofHours(4)).build()));
        ConversationId a = write(telegram, "anna");
        shop.sla().evaluate(a);
        at("2026-03-02T08:05:00Z");
        reply(a, "ann");
        at("2026-03-02T08:06:00Z");
        inbox.resolve(a);
        at("2026-03-02T08:07:00Z");
        ConversationId b = write(telegram, "boris");
        shop.sla().evaluate(b);
        ConversationId c = write(email, "carol@example.com");
        shop.sla().evaluate(c);
        reply(c, "bob");
        // every clock start is in the feed once
        assertThat(inbox.events(0, 1000).stream().filter(e -> e.type() == InboxEvent.Type.SLA_STARTED)
                .map(e -> e.conversation().orElseThrow() + " " + e.attribute("slaKind").orElseThrow() + " "
                        + e.attribute("slaPolicy").orElseThrow()).toList())
                .containsExactlyInAnyOrder(a + " FIRST_RESPONSE chat", a + " RESOLUTION chat", b + " FIRST_RESPONSE chat",
                        b + " RESOLUTION chat");

        KpiSummary byPolicy = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL)
                .groupBy(KpiDimension.SLA_POLICY).build());
        assertThat(byPolicy.rows()).extracting(r -> r.group().get(KpiDimension.SLA_POLICY), KpiRow::conversations,
                        KpiRow::firstResponseSlaAttainment, KpiRow::resolutionSlaAttainment)
                .containsExactly(tuple("", 1L, Optional.empty(), Optional.empty()),
                        tuple("chat", 2L, Optional.of(1.0), Optional.of(1.0)));
        assertThat(byPolicy.total().firstResponseSlaAttainment()).contains(1.0);
    }

    @Test
    public void distributionsCountTheDurationsInTheirBuckets() throws Exception {
        start();
        smallScenario();
        KpiQuery march = KpiQuery.builder(MARCH, APRIL).build();
        // first responses 90, 30, 30 min; default bounds 1, 5, 15, 30 min, 1, 2, 4, 8 h, 1, 3 days
        KpiDistribution first = shop.kpis().distribution(march, KpiMetric.FIRST_RESPONSE);
        assertThat(first.buckets()).hasSize(11);
        assertThat(first.buckets()).extracting(KpiDistribution.Bucket::count)
                .containsExactly(0L, 0L, 0L, 0L, 2L, 1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(first.buckets().get(4).from()).isEqualTo(Duration.ofMinutes(30));
        assertThat(first.buckets().get(4).to()).isEqualTo(minutes(60));
        assertThat(first.buckets().get(10).to()).isEmpty();
        // resolutions 120 and 60 min; next responses 6, 10, 20 min
        assertThat(shop.kpis().distribution(march, KpiMetric.RESOLUTION).buckets())
                .extracting(KpiDistribution.Bucket::count)
                .containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 1L, 0L, 0L, 0L, 0L);
        assertThat(shop.kpis().distribution(march, KpiMetric.NEXT_RESPONSE).buckets())
                .extracting(KpiDistribution.Bucket::count)
                .containsExactly(0L, 0L, 2L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        // caller bounds, business time: first responses 30, 30, 30 business minutes; a bound is the next bucket's
        KpiDistribution mine = shop.kpis().distribution(KpiQuery.builder(MARCH, APRIL).basis(TimeBasis.BUSINESS)
                .build(), KpiMetric.FIRST_RESPONSE, List.of(Duration.ofMinutes(30), Duration.ofMinutes(31)));
        assertThat(mine.buckets()).extracting(KpiDistribution.Bucket::count).containsExactly(0L, 3L, 0L);
        assertThat(mine.count()).isEqualTo(3);

        assertThatThrownBy(() -> shop.kpis().distribution(KpiQuery.builder(MARCH, APRIL)
                .groupBy(KpiDimension.AGENT).build(), KpiMetric.RESOLUTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupBy");
        assertThatThrownBy(() -> shop.kpis().distribution(march, KpiMetric.RESOLUTION,
                List.of(Duration.ofMinutes(5), Duration.ofMinutes(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> shop.kpis().distribution(march, KpiMetric.RESOLUTION, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bounds");
    }

    // ---- the seeded generator --------------------------------------------------------------------------------

    /** What the generator expects of one conversation cycle, from its own log. */
    private static final class ExpectedCycle {
        final Instant opened;
        Instant firstCustomer;
        Long firstResponseMs;
        Long firstResponseBusinessMs;
        Long resolutionMs;
        Long resolutionBusinessMs;
        Instant awaiting;
        final List<Long> waitsMs = new ArrayList<>();
        final List<Long> waitsBusinessMs = new ArrayList<>();

        ExpectedCycle(Instant opened) {
            this.opened = opened;
            this.firstCustomer = opened;
        }
    }

    /**
     * A seeded run of customers on two channels writing, a bot answering, agents being assigned and answering,
     * conversations resolved and reopened over four days with office hours; the first-response and resolution
     * figures are recomputed from the generator's log and must equal the store's, and the summaries obey the
     * invariants of docs/kpis.md in every grouping.
     */
    @Test
    public void aSeededGeneratorAgreesWithItsOwnLogAndTheInvariantsHold() throws Exception {
        start();
        Random random = new Random(20260302L);
        BusinessCalendar calendar = officeHours();
        String[] agents = {"ann", "bob", "cid"};
        int customers = 18;
        Map<Integer, ConversationId> conversation = new HashMap<>();
        Map<Integer, ExpectedCycle> current = new HashMap<>();
        List<ExpectedCycle> cycles = new ArrayList<>();
        long messagesIn = 0;
        long messagesOut = 0;
        for (int step = 0; step < 180; step++) {
            clock.advance(Duration.ofMinutes(1 + random.nextInt(25)));
            int c = random.nextInt(customers);
            FakeChannel channel = c % 2 == 0 ? telegram : email;
            String user = "customer-" + c;
            Instant now = clock.instant();
            ExpectedCycle cycle = current.get(c);
            int action = random.nextInt(10);
            if (cycle == null || action < 3) {
                ConversationId id = write(channel, user);
                messagesIn++;
                if (cycle == null) {
                    cycle = new ExpectedCycle(now);
                    cycles.add(cycle);
                    current.put(c, cycle);
                    assertThat(conversation.getOrDefault(c, id)).isEqualTo(id); // reopened within the window
                    conversation.put(c, id);
                } else if (cycle.firstResponseMs != null && cycle.awaiting == null) {
                    cycle.awaiting = now; // the first message of a run after a person's reply
                }
            } else if (action == 3) {
                botReply(conversation.get(c));
                messagesOut++;
            } else if (action == 4) {
                inbox.assign(conversation.get(c), agents[random.nextInt(agents.length)]);
            } else if (action < 8) {
                reply(conversation.get(c), agents[random.nextInt(agents.length)]);
                messagesOut++;
                if (cycle.firstResponseMs == null) {
                    cycle.firstResponseMs = Duration.between(cycle.firstCustomer, now).toMillis();
                    cycle.firstResponseBusinessMs = calendar.businessDuration(cycle.firstCustomer, now).toMillis();
                } else if (cycle.awaiting != null) {
                    cycle.waitsMs.add(Duration.between(cycle.awaiting, now).toMillis());
                    cycle.waitsBusinessMs.add(calendar.businessDuration(cycle.awaiting, now).toMillis());
                    cycle.awaiting = null;
                }
            } else {
                inbox.resolve(conversation.get(c));
                cycle.resolutionMs = Duration.between(cycle.opened, now).toMillis();
                cycle.resolutionBusinessMs = calendar.businessDuration(cycle.opened, now).toMillis();
                current.remove(c);
            }
        }

        for (TimeBasis basis : TimeBasis.values()) {
            KpiRow total = shop.kpis().summary(KpiQuery.builder(MARCH, APRIL).basis(basis).build()).total();
            boolean b = basis == TimeBasis.BUSINESS;
            assertThat(total.conversations()).isEqualTo(cycles.size());
            assertThat(total.messagesIn()).isEqualTo(messagesIn);
            assertThat(total.messagesOut()).isEqualTo(messagesOut);
            assertThat(total.firstResponse()).isEqualTo(expected(cycles,
                    e -> b ? e.firstResponseBusinessMs : e.firstResponseMs));
            assertThat(total.resolution()).isEqualTo(expected(cycles,
                    e -> b ? e.resolutionBusinessMs : e.resolutionMs));
            assertThat(total.resolved()).isEqualTo(cycles.stream().filter(e -> e.resolutionMs != null).count());
            List<Long> waits = new ArrayList<>();
            cycles.forEach(e -> waits.addAll(b ? e.waitsBusinessMs : e.waitsMs));
            assertThat(total.nextResponse()).isEqualTo(stats(waits));
            // the histograms count exactly the durations the summary measures
            KpiQuery range = KpiQuery.builder(MARCH, APRIL).basis(basis).build();
            assertThat(shop.kpis().distribution(range, KpiMetric.FIRST_RESPONSE).count())
                    .isEqualTo(total.firstResponse().count());
            assertThat(shop.kpis().distribution(range, KpiMetric.RESOLUTION).count())
                    .isEqualTo(total.resolution().count());
            KpiDistribution next = shop.kpis().distribution(range, KpiMetric.NEXT_RESPONSE);
            assertThat(next.count()).isEqualTo(waits.size());
            for (KpiDistribution.Bucket bucket : next.buckets()) {
                assertThat(bucket.count()).isEqualTo(waits.stream().filter(w -> w >= bucket.from().toMillis()
                        && bucket.to().map(to -> w < to.toMillis()).orElse(true)).count());
            }
        }

        KpiRow calendarTotal = null;
        Map<List<KpiDimension>, KpiPeriod> groupings = Map.of(List.of(KpiDimension.AGENT), KpiPeriod.DAY,
                List.of(KpiDimension.CHANNEL_TYPE), KpiPeriod.WEEK,
                List.of(KpiDimension.CHANNEL, KpiDimension.PRIORITY), KpiPeriod.MONTH,
                List.of(KpiDimension.TEAM, KpiDimension.AGENT), KpiPeriod.DAY,
                List.of(KpiDimension.SLA_POLICY, KpiDimension.AGENT), KpiPeriod.WEEK);
        for (Map.Entry<List<KpiDimension>, KpiPeriod> grouping : groupings.entrySet()) {
            KpiQuery.Builder q = KpiQuery.builder(MARCH, APRIL)
                    .groupBy(grouping.getKey().toArray(KpiDimension[]::new)).period(grouping.getValue());
            KpiSummary cal = shop.kpis().summary(q.basis(TimeBasis.CALENDAR).build());
            KpiSummary bus = shop.kpis().summary(q.basis(TimeBasis.BUSINESS).build());
            calendarTotal = cal.total();
            assertThat(cal.rows()).hasSameSizeAs(bus.rows());
            assertThat(sum(cal, KpiRow::conversations)).isEqualTo(cal.total().conversations());
            assertThat(sum(cal, KpiRow::messagesIn)).isEqualTo(cal.total().messagesIn());
            assertThat(sum(cal, KpiRow::messagesOut)).isEqualTo(cal.total().messagesOut());
            assertThat(sum(cal, KpiRow::resolved)).isEqualTo(cal.total().resolved());
            assertThat(sum(cal, r -> r.firstResponse().count())).isEqualTo(cal.total().firstResponse().count());
            assertThat(sum(cal, r -> r.resolution().count())).isEqualTo(cal.total().resolution().count());
            assertThat(sum(cal, r -> r.nextResponse().count())).isEqualTo(cal.total().nextResponse().count());
            for (int i = 0; i < cal.rows().size(); i++) {
                KpiRow cr = cal.rows().get(i);
                KpiRow br = bus.rows().get(i);
                assertThat(br.group()).isEqualTo(cr.group());
                ordered(cr.firstResponse());
                ordered(br.firstResponse());
                ordered(cr.resolution());
                notLonger(br.firstResponse(), cr.firstResponse());
                notLonger(br.resolution(), cr.resolution());
                notLonger(br.nextResponse(), cr.nextResponse());
                ordered(cr.nextResponse());
            }
        }
        assertThat(calendarTotal.conversations()).isGreaterThan(15);
        assertThat(calendarTotal.reopened()).isPositive();
        assertThat(calendarTotal.firstResponse().count()).isGreaterThan(8);
        assertThat(calendarTotal.nextResponse().count()).isGreaterThan(5);
    }

    private static long sum(KpiSummary s, ToLongFunction<KpiRow> f) {
        return s.rows().stream().mapToLong(f).sum();
    }

    /** The statistics of the generator's values, computed here independently of the inbox. */
    private static DurationStats expected(List<ExpectedCycle> cycles, Function<ExpectedCycle, Long> f) {
        List<Long> values = new ArrayList<>();
        for (ExpectedCycle e : cycles) {
            Long v = f.apply(e);
            if (v != null) {
                values.add(v);
            }
        }
        return stats(values);
    }

    private static DurationStats stats(List<Long> input) {
        List<Long> values = new ArrayList<>(input);
        if (values.isEmpty()) {
            return new DurationStats(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        Collections.sort(values);
        long sum = values.stream().mapToLong(Long::longValue).sum();
        long mean = Math.round((double) sum / values.size());
        int n = values.size();
        long median = values.get((int) Math.ceil(0.5 * n) - 1);
        long p90 = values.get((int) Math.ceil(0.9 * n) - 1);
        return new DurationStats(n, Optional.of(Duration.ofMillis(mean)), Optional.of(Duration.ofMillis(median)),
                Optional.of(Duration.ofMillis(p90)), Optional.of(Duration.ofMillis(values.get(n - 1))));
    }

    private static void ordered(DurationStats s) {
        if (s.count() == 0) {
            assertThat(s.median()).isEmpty();
            return;
        }
        assertThat(s.median().orElseThrow()).isLessThanOrEqualTo(s.p90().orElseThrow());
        assertThat(s.p90().orElseThrow()).isLessThanOrEqualTo(s.max().orElseThrow());
        assertThat(s.mean().orElseThrow()).isLessThanOrEqualTo(s.max().orElseThrow());
    }

    private static void notLonger(DurationStats business, DurationStats calendar) {
        assertThat(business.count()).isEqualTo(calendar.count());
        if (calendar.count() > 0) {
            assertThat(business.mean().orElseThrow()).isLessThanOrEqualTo(calendar.mean().orElseThrow());
            assertThat(business.median().orElseThrow()).isLessThanOrEqualTo(calendar.median().orElseThrow());
            assertThat(business.p90().orElseThrow()).isLessThanOrEqualTo(calendar.p90().orElseThrow());
            assertThat(business.max().orElseThrow()).isLessThanOrEqualTo(calendar.max().orElseThrow());
        }
    }
}
