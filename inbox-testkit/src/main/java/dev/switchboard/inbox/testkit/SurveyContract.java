package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.canned.CannedResponse;
import dev.switchboard.inbox.canned.MissingVariableException;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.survey.Complaint;
import dev.switchboard.inbox.survey.ComplaintRules;
import dev.switchboard.inbox.survey.ComplaintSource;
import dev.switchboard.inbox.survey.Survey;
import dev.switchboard.inbox.survey.SurveyPolicy;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Satisfaction surveys, complaint marks and canned responses, runnable against any {@link InboxStore}: a survey on
 * resolution with native buttons, or numbered where the channel has none; a button press, a numbered reply or a
 * plain digit as the rating, never reopening the conversation; the comment after the rating; late answers after a
 * reopen; once per customer per period and excluded tags; complaints by an agent, a label and a low rating with their
 * attribution; canned responses with variables, prompts, scope and attachments; tenants kept apart; an answer arriving
 * at another node. Time is a {@link ManualClock}. What is sent is read from the outbox rows the reply wrote (no wait
 * for the outbox thread). Test methods are public so subclasses in other packages inherit them.
 */
public abstract class SurveyContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** With nanoseconds, which the databases keep only to the microsecond. */
    private static final Instant START = Instant.parse("2026-03-02T09:00:00.123456789Z");
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
    private final AtomicLong postbacks = new AtomicLong();
    protected final ManualClock clock = new ManualClock(START);
    protected InboxStore store;
    protected FakeChannel telegram;
    protected FakeChannel mail;
    protected FakeChannel otherTelegram;
    protected Inbox inbox;
    protected TenantInbox shop;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A started inbox over a fresh store: Telegram with buttons, a mail channel without, another tenant. */
    protected void start(SurveyPolicy policy) {
        store = newStore();
        cleanup.add(store);
        inbox = startInbox(store);
        shop = inbox.forTenant(TenantId.DEFAULT);
        shop.surveys().configure(policy);
    }

    private Inbox startInbox(InboxStore on) {
        telegram = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM,
                Capabilities.builder().buttons(8, 64).build());
        mail = FakeChannel.of(TenantId.DEFAULT, "mail", ChannelType.EMAIL, Capabilities.builder().build());
        otherTelegram = FakeChannel.of(OTHER, "tg-other", ChannelType.TELEGRAM,
                Capabilities.builder().buttons(8, 64).build());
        Inbox started = Inbox.builder().store(on).clock(clock).channel(telegram).channel(mail).channel(otherTelegram)
                .reopenWindow(Duration.ofDays(7)).eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(started);
        started.start();
        return started;
    }

    /** A customer writes on {@code channel}; returns their open conversation. */
    protected ConversationId write(FakeChannel channel, String user, String text) throws Exception {
        done(channel.receive(user, text));
        return conversationOf(channel, user);
    }

    protected ConversationId conversationOf(FakeChannel channel, String user) {
        Customer customer = inbox.customerByAccount(channel.account(user).key()).orElseThrow();
        return inbox.conversations(ConversationQuery.builder(channel.tenant()).limit(1000).build()).items().stream()
                .filter(c -> c.customer().equals(customer.id())).findFirst().orElseThrow().id();
    }

    /** A customer writes, anna answers, the conversation is resolved; returns it. */
    protected ConversationId servedAndResolved(FakeChannel channel, String user) throws Exception {
        ConversationId id = write(channel, user, "my order is late");
        inbox.forTenant(channel.tenant()).reply(id, Content.text("It ships today."),
                ReplyOptions.defaults().agent("anna"));
        clock.advance(Duration.ofMinutes(5));
        inbox.forTenant(channel.tenant()).resolve(id);
        return id;
    }

    protected Survey onlySurvey(ConversationId id) {
        List<Survey> all = shop.surveys().ofConversation(id);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The first bubble the survey's message was rendered into, as its outbox row holds it. */
    protected Bubble.TextBubble surveyBubble(Survey s) {
        OutboxEntry entry = store.inTransaction(tx -> tx.outboxEntry(s.message().value() + ":0")).orElseThrow();
        assertThat(entry.message().automatic()).isTrue();
        return (Bubble.TextBubble) entry.message().bubble();
    }

    protected CompletionStage<Void> press(FakeChannel channel, String user, String payload) {
        return channel.deliver(new InboundEvent.Postback(channel.id().value() + "-pb-" + postbacks.incrementAndGet(),
                channel.account(user), clock.instant(), payload, Optional.empty(), Optional.empty()));
    }

    protected List<InboxEvent> events(InboxEvent.Type type) {
        return inbox.events(0, 1000).stream().filter(e -> e.type() == type).toList();
    }

    protected Conversation conversation(ConversationId id) {
        return inbox.conversation(id).orElseThrow();
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---- surveys ------------------------------------------------------------------------------------------------

    @Test
    public void aResolvedConversationGetsButtonsAndAPressRatesItWithoutReopening() throws Exception {
        start(SurveyPolicy.builder().build());
        ConversationId id = servedAndResolved(telegram, "u1");
        Survey s = onlySurvey(id);
        assertThat(s.agent()).contains("anna");
        Bubble.TextBubble bubble = surveyBubble(s);
        assertThat(bubble.plain()).contains("How would you rate our help?");
        assertThat(bubble.buttons()).extracting(Choice::label).containsExactlyElementsOf(SurveyPolicy.DEFAULT_LABELS);
        assertThat(bubble.buttons().get(4).action()).isEqualTo(new Choice.Postback(s.payload(5)));
        InboxEvent sent = events(InboxEvent.Type.SURVEY_SENT).get(0);
        assertThat(sent.attributes()).containsEntry("survey", s.id()).containsEntry("agent", "anna")
                .containsEntry("channel", "tg");
        assertThat(events(InboxEvent.Type.REPLY_QUEUED).get(1).attribute(InboxEvent.Attribute.AUTOMATED))
                .contains("true");

        clock.advance(Duration.ofMinutes(1));
        done(press(telegram, "u1", s.payload(5)));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).contains(5);
        InboxEvent rated = events(InboxEvent.Type.SATISFACTION_RATED).get(0);
        assertThat(rated.attributes()).containsEntry("rating", "5").containsEntry("agent", "anna")
                .containsEntry("survey", s.id());
        assertThat(rated.conversation()).contains(id);
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(events(InboxEvent.Type.CONVERSATION_REOPENED)).isEmpty();
        assertThat(events(InboxEvent.Type.POSTBACK_RECEIVED)).isEmpty();
        // the platform is told after the commit, off the ingest path
        await().atMost(WAIT).until(() -> telegram.acknowledgedPostbacks().size() == 1);

        // a second press is acknowledged and ignored: the first rating stands
        done(press(telegram, "u1", s.payload(1)));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).contains(5);
        assertThat(events(InboxEvent.Type.SATISFACTION_RATED)).hasSize(1);
    }

    @Test
    public void withoutButtonsTheSurveyIsNumberedAndTheNumberIsTheRatingThenTheNextMessageTheComment()
            throws Exception {
        start(SurveyPolicy.builder().build());
        ConversationId id = servedAndResolved(mail, "m1");
        Survey s = onlySurvey(id);
        Bubble.TextBubble bubble = surveyBubble(s);
        assertThat(bubble.buttons()).isEmpty();
        assertThat(bubble.plain()).contains("1. Very poor").contains("5. Excellent").contains("Reply with a number.");

        clock.advance(Duration.ofMinutes(1));
        done(mail.receive("m1", "4"));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).contains(4);
        InboxEvent rated = events(InboxEvent.Type.SATISFACTION_RATED).get(0);
        assertThat(rated.attributes()).containsEntry("rating", "4").doesNotContainKey("comment");
        Message answer = inbox.message(rated.message().orElseThrow()).orElseThrow();
        assertThat(answer.conversation()).isEqualTo(id);
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(events(InboxEvent.Type.MESSAGE_RECEIVED)).hasSize(1); // the first request only

        clock.advance(Duration.ofMinutes(2));
        done(mail.receive("m1", "Quick, but the parcel was damaged"));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().comment())
                .contains("Quick, but the parcel was damaged");
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(events(InboxEvent.Type.CONVERSATION_UPDATED).stream()
                .filter(e -> e.attribute(InboxEvent.Attribute.SURVEY).isPresent()).toList()).hasSize(1);

        // a third message is a new request: it reopens
        done(mail.receive("m1", "Also, where is my invoice?"));
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(events(InboxEvent.Type.CONVERSATION_REOPENED)).hasSize(1);
    }

    @Test
    public void aPlainDigitIsARatingOnAButtonChannelTooButOtherTextReopens() throws Exception {
        start(SurveyPolicy.builder().commentWindow(Duration.ZERO).build());
        ConversationId id = servedAndResolved(telegram, "u2");
        Survey s = onlySurvey(id);
        done(telegram.receive("u2", " 3. "));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).contains(3);
        done(telegram.receive("u2", "thanks"));   // no comment window: a new request
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.OPEN);
    }

    @Test
    public void aRatingAndItsCommentMayComeInOneMessage() throws Exception {
        start(SurveyPolicy.builder().build());
        ConversationId id = servedAndResolved(telegram, "u8");
        Survey s = onlySurvey(id);
        done(telegram.receive("u8", "5 - quick and friendly"));
        Survey rated = shop.surveys().survey(s.id()).orElseThrow();
        assertThat(rated.rating()).contains(5);
        assertThat(rated.comment()).contains("quick and friendly");
        assertThat(events(InboxEvent.Type.SATISFACTION_RATED).get(0).attributes())
                .containsEntry("comment", "quick and friendly").containsEntry("rating", "5");
        done(telegram.receive("u8", "5 minutes later: one more question"));   // commented already: a new request
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(shop.surveys().survey(s.id()).orElseThrow().comment()).contains("quick and friendly");
    }

    @Test
    public void afterAReopenTextIsTalkButAButtonStillRatesTheSurveysResolution() throws Exception {
        start(SurveyPolicy.builder().build());
        ConversationId id = servedAndResolved(telegram, "u3");
        Survey s = onlySurvey(id);
        clock.advance(Duration.ofMinutes(1));
        done(telegram.receive("u3", "One more thing"));
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.OPEN);
        done(telegram.receive("u3", "5"));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).isEmpty();
        assertThat(events(InboxEvent.Type.SATISFACTION_RATED)).isEmpty();

        // a late button press counts for the survey's cycle, attributed to its resolver, and changes nothing else
        shop.assign(id, "boris");
        done(press(telegram, "u3", s.payload(2)));
        InboxEvent rated = events(InboxEvent.Type.SATISFACTION_RATED).get(0);
        assertThat(rated.attributes()).containsEntry("rating", "2").containsEntry("agent", "anna");
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.OPEN);

        // after the answer window a press is ignored
        ConversationId other = servedAndResolved(mail, "late");
        Survey late = onlySurvey(other);
        clock.advance(Duration.ofDays(3).plusSeconds(1));
        done(mail.receive("late", "5"));
        assertThat(shop.surveys().survey(late.id()).orElseThrow().rating()).isEmpty();
    }

    @Test
    public void oneSurveyPerCustomerPerPeriodAndNoneForSpamOrExcludedChannels() throws Exception {
        start(SurveyPolicy.builder().oncePer(Duration.ofDays(1)).excludeChannels(dev.switchboard.model.ChannelId.of("mail")).build());
        ConversationId id = servedAndResolved(telegram, "u4");
        clock.advance(Duration.ofHours(1));
        done(telegram.receive("u4", "it broke again"));
        shop.resolve(id);
        assertThat(shop.surveys().ofConversation(id)).hasSize(1);
        clock.advance(Duration.ofDays(1));
        done(telegram.receive("u4", "and again"));
        shop.resolve(id);
        assertThat(shop.surveys().ofConversation(id)).hasSize(2);

        ConversationId spam = write(telegram, "spammer", "buy cheap followers");
        shop.tag(spam, Set.of("spam"));
        shop.resolve(spam);
        assertThat(shop.surveys().ofConversation(spam)).isEmpty();

        ConversationId onMail = servedAndResolved(mail, "m4");
        assertThat(shop.surveys().ofConversation(onMail)).isEmpty();
        assertThat(events(InboxEvent.Type.SURVEY_SENT)).hasSize(2);

        // only conversations an agent handled, when the policy says so
        shop.surveys().configure(SurveyPolicy.builder().agentHandledOnly().build());
        ConversationId botOnly = write(telegram, "bot-only", "opening hours?");
        shop.reply(botOnly, Content.text("We open at 9."), ReplyOptions.defaults().automated(true));
        shop.resolve(botOnly);
        assertThat(shop.surveys().ofConversation(botOnly)).isEmpty();
        assertThat(shop.surveys().ofConversation(servedAndResolved(telegram, "served"))).hasSize(1);
    }

    @Test
    public void theCustomersLanguagePicksTheTemplate() throws Exception {
        start(SurveyPolicy.builder().template("ru", "Как мы справились, {customer_name|друг}?", "1", "2", "3", "4",
                "5").build());
        write(telegram, "ru1", "привет");
        Customer customer = inbox.customerByAccount(telegram.account("ru1").key()).orElseThrow();
        store.inTransaction(tx -> {
            tx.saveCustomer(customer.with(customer.displayName(), Optional.of("ru-RU"), customer.accounts(),
                    customer.contacts(), customer.attributes(), customer.preferences(), customer.conflicts(),
                    customer.mergedInto(), clock.instant()));
            return null;
        });
        ConversationId id = conversationOf(telegram, "ru1");
        shop.resolve(id);
        assertThat(surveyBubble(onlySurvey(id)).plain()).startsWith("Как мы справились, User ru1?");
    }

    @Test
    public void badPoliciesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> SurveyPolicy.builder().template("de", "Wie war's?", "1", "2").build())
                .hasMessageContaining("template.de").hasMessageContaining("5 labels");
        assertThatThrownBy(() -> SurveyPolicy.builder().template("en", "Hi {name}").answerWindow(Duration.ZERO)
                .build()).hasMessageContaining("unknown variable").hasMessageContaining("answerWindow");
        assertThatThrownBy(() -> ComplaintRules.builder().ratingAtOrBelow(5).build())
                .hasMessageContaining("ratingAtOrBelow");
    }

    @Test
    public void aRatingArrivingAtAnotherNodeIsStoredThere() throws Exception {
        start(SurveyPolicy.builder().build());
        ConversationId id = servedAndResolved(telegram, "u5");
        Survey s = onlySurvey(id);
        InboxStore second = anotherNode(store);
        if (second != store) {
            cleanup.add(second);
        }
        FakeChannel firstTelegram = telegram;
        Inbox node2 = startInbox(second);
        node2.forTenant(TenantId.DEFAULT).surveys().configure(SurveyPolicy.builder().build());
        // the second node's fake numbers its events afresh: give this one ids the first node never saw
        done(telegram.deliver(InboundEvent.MessageReceived.of("node2-evt-1", telegram.account("u5"),
                clock.instant(), "node2-in-1", Content.text("5"))));
        assertThat(node2.forTenant(TenantId.DEFAULT).surveys().survey(s.id()).orElseThrow().rating()).contains(5);
        assertThat(firstTelegram).isNotSameAs(telegram);
        assertThat(conversation(id).status()).isEqualTo(ConversationStatus.RESOLVED);
    }

    @Test
    public void tenantsNeverSeeEachOthersSurveys() throws Exception {
        start(SurveyPolicy.builder().build());
        inbox.forTenant(OTHER).surveys().configure(SurveyPolicy.builder().build());
        ConversationId mine = servedAndResolved(telegram, "same-user");
        ConversationId theirs = servedAndResolved(otherTelegram, "same-user");
        Survey s = onlySurvey(mine);
        assertThat(inbox.forTenant(OTHER).surveys().survey(s.id())).isEmpty();
        assertThat(inbox.forTenant(OTHER).surveys().ofConversation(mine)).isEmpty();
        // the other tenant's customer pressing this tenant's payload rates nothing and is an ordinary postback
        done(press(otherTelegram, "same-user", s.payload(1)));
        assertThat(shop.surveys().survey(s.id()).orElseThrow().rating()).isEmpty();
        assertThat(inbox.forTenant(OTHER).surveys().ofConversation(theirs).get(0).rating()).isEmpty();
        assertThat(events(InboxEvent.Type.POSTBACK_RECEIVED)).extracting(InboxEvent::tenant).containsExactly(OTHER);
    }

    // ---- complaints ---------------------------------------------------------------------------------------------

    @Test
    public void aLowRatingMarksAComplaintAttributedToTheResolver() throws Exception {
        start(SurveyPolicy.builder().build());
        shop.complaints().configure(ComplaintRules.builder().ratingAtOrBelow(2).build());
        ConversationId good = servedAndResolved(telegram, "happy");
        done(press(telegram, "happy", onlySurvey(good).payload(3)));
        assertThat(shop.complaints().of(good)).isEmpty();
        ConversationId bad = servedAndResolved(telegram, "angry");
        done(press(telegram, "angry", onlySurvey(bad).payload(2)));
        Complaint c = shop.complaints().of(bad).orElseThrow();
        assertThat(c.marked()).isTrue();
        assertThat(c.agent()).contains("anna");
        assertThat(c.source()).isEqualTo(ComplaintSource.RATING);
        InboxEvent marked = events(InboxEvent.Type.COMPLAINT_MARKED).get(0);
        assertThat(marked.attributes()).containsEntry("agent", "anna").containsEntry("source", "rating");
        assertThat(marked.conversation()).contains(bad);
    }

    @Test
    public void agentsAndLabelsMarkAndClearComplaintsAttributedToTheHandlingAgent() throws Exception {
        start(SurveyPolicy.disabled());
        shop.complaints().configure(ComplaintRules.builder().labels("complaint").build());
        ConversationId id = write(telegram, "u6", "This is unacceptable");
        shop.assign(id, "boris");
        shop.tag(id, Set.of("complaint", "billing"));
        assertThat(shop.complaints().of(id).orElseThrow().source()).isEqualTo(ComplaintSource.LABEL);
        assertThat(shop.complaints().of(id).orElseThrow().agent()).contains("boris");
        shop.tag(id, Set.of("complaint"));   // already marked: nothing new
        shop.untag(id, Set.of("complaint"));
        assertThat(shop.complaints().of(id).orElseThrow().marked()).isFalse();

        shop.unassign(id);
        shop.reply(id, Content.text("Sorry about that"), ReplyOptions.defaults().agent("clara"));
        Complaint byHand = shop.complaints().mark(id, "lead-olga");
        assertThat(byHand.agent()).contains("clara");   // who handled it, not who clicked
        assertThat(shop.complaints().mark(id, "lead-olga")).isEqualTo(byHand);
        shop.complaints().clear(id, "lead-olga");
        shop.complaints().clear(id, "lead-olga");
        assertThat(events(InboxEvent.Type.COMPLAINT_MARKED)).extracting(e -> e.attributes().get("source") + "/"
                + e.attributes().get("agent")).containsExactly("label/boris", "agent/clara");
        assertThat(events(InboxEvent.Type.COMPLAINT_CLEARED)).extracting(e -> e.attributes().get("source") + "/"
                + e.attributes().get("agent")).containsExactly("label/boris", "agent/clara");
        assertThat(events(InboxEvent.Type.COMPLAINT_MARKED).get(1).attribute(InboxEvent.Attribute.ACTOR))
                .contains("lead-olga");
        assertThatThrownBy(() -> inbox.forTenant(OTHER).complaints().mark(id, "x"))
                .isInstanceOf(java.util.NoSuchElementException.class).hasMessageContaining("other-shop");
    }

    // ---- canned responses ---------------------------------------------------------------------------------------

    @Test
    public void cannedResponsesAreStoredPerTenantAndFilledBeforeSending() throws Exception {
        start(SurveyPolicy.disabled());
        shop.cannedResponses().save(CannedResponse.builder("refund").title("Refund started")
                .body("Hi {{customer.name}}, {{agent.name}} here: {{prompt.amount}} for order {{order}} is on its way.")
                .build());
        shop.cannedResponses().save(CannedResponse.builder("mail-only").body("See the attached form.")
                .channelType(ChannelType.EMAIL).attachment(URI.create("https://shop.example/form.pdf"),
                        "application/pdf", "form.pdf").build());
        assertThat(shop.cannedResponses().list()).extracting(CannedResponse::code)
                .containsExactly("mail-only", "refund");
        assertThat(shop.cannedResponses().get("refund").orElseThrow().prompts()).containsExactly("amount");
        assertThat(inbox.forTenant(OTHER).cannedResponses().list()).isEmpty();

        ConversationId id = write(telegram, "u7", "where is my refund?");
        assertThat(shop.cannedResponses().forConversation(id)).extracting(CannedResponse::code)
                .containsExactly("refund");
        assertThatThrownBy(() -> shop.cannedResponses().reply("refund", id, "anna", Map.of("order", "A-17")))
                .isInstanceOf(MissingVariableException.class).hasMessageContaining("{{prompt.amount}}")
                .hasMessageContaining("refund");
        assertThatThrownBy(() -> shop.cannedResponses().reply("mail-only", id, "anna", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel type email");
        assertThat(shop.messages(id)).hasSize(1); // nothing was sent

        Message sent = shop.cannedResponses().reply("refund", id, "anna",
                Map.of("prompt.amount", "12.50 EUR", "order", "A-17"));
        assertThat(sent.content().plainText())
                .isEqualTo("Hi User u7, anna here: 12.50 EUR for order A-17 is on its way.");
        assertThat(sent.agent()).contains("anna");
        assertThat(conversation(id).firstResponseAt()).isPresent();

        ConversationId onMail = write(mail, "m7", "need the form");
        Message form = shop.cannedResponses().reply("mail-only", onMail, "anna", Map.of());
        assertThat(form.content().parts()).hasSize(2);
        assertThat(((Media) form.content().parts().get(1)).fileName()).contains("form.pdf");

        assertThat(shop.cannedResponses().delete("refund")).isTrue();
        assertThat(shop.cannedResponses().delete("refund")).isFalse();
        assertThatThrownBy(() -> CannedResponse.builder("bad code").body("x").build())
                .hasMessageContaining("code");
    }
}
