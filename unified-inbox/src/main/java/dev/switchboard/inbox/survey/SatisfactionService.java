package dev.switchboard.inbox.survey;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.Text;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbox node's satisfaction surveys and complaint marks. The inbox calls it inside its own transactions: when a
 * conversation changes ({@link #afterChange}: a resolution sends a survey, a complaint label marks or clears), and
 * before an inbound message or button press is threaded ({@link #answerMessage}, {@link #answerPostback}: an answer to
 * a survey is stored as the survey's rating or comment and goes no further, so it neither reopens the conversation nor
 * counts as a request). Everything it decides is stored and published in the transaction that caused it, so every
 * node sees the same surveys and marks. Policies are held per node, like acknowledgement policies. Hosts use it
 * through {@code TenantInbox.surveys()} and {@code TenantInbox.complaints()}. Thread-safe.
 */
public final class SatisfactionService {
    private static final Logger log = LoggerFactory.getLogger(SatisfactionService.class);
    private static final Pattern DIGIT = Pattern.compile("\\s*([1-5])\\s*[.)]?\\s*");
    /** A rating with a comment in one message: the digit, a separator, the comment ("4 - slow but fine"). */
    private static final Pattern DIGIT_AND_COMMENT = Pattern.compile("\\s*([1-5])\\s*[-\u2013\u2014:,.)]\\s*(\\S.*)",
            Pattern.DOTALL);

    /** Queues a reply inside the caller's transaction (the inbox's reply path). */
    public interface ReplyQueue {
        /** Queues {@code content} to the conversation's customer in {@code tx}; see {@code Inbox.reply}. */
        Message queue(InboxTransaction tx, TenantId tenant, ConversationId conversation, Content content,
                      ReplyOptions options);
    }

    private final InboxStore store;
    private final Clock clock;
    private final ReplyQueue replies;
    private final BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes;
    private final Runnable wake;
    private final Map<TenantId, SurveyPolicy> policies = new ConcurrentHashMap<>();
    private final Map<TenantId, ComplaintRules> rules = new ConcurrentHashMap<>();

    /**
     * Called by the inbox.
     *
     * @param replies the inbox's reply path, used inside the resolving transaction
     * @param channelTypes the type of a tenant's channel, when it is configured
     * @param wake wakes the node's feed dispatcher and outbox after a commit
     */
    public SatisfactionService(InboxStore store, Clock clock, ReplyQueue replies,
                               BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes, Runnable wake) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.channelTypes = Objects.requireNonNull(channelTypes, "channelTypes");
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** The tenant's surveys: its policy and the surveys sent. */
    public Surveys surveys(TenantId tenant) {
        return new Surveys(this, Objects.requireNonNull(tenant, "tenant"));
    }

    /** The tenant's complaint marks and rules. */
    public Complaints complaints(TenantId tenant) {
        return new Complaints(this, Objects.requireNonNull(tenant, "tenant"));
    }

    SurveyPolicy policy(TenantId tenant) {
        return policies.getOrDefault(tenant, SurveyPolicy.disabled());
    }

    void configure(TenantId tenant, SurveyPolicy policy) {
        policies.put(tenant, Objects.requireNonNull(policy, "policy"));
    }

    ComplaintRules rules(TenantId tenant) {
        return rules.getOrDefault(tenant, ComplaintRules.none());
    }

    void configure(TenantId tenant, ComplaintRules r) {
        rules.put(tenant, Objects.requireNonNull(r, "rules"));
    }

    InboxStore store() {
        return store;
    }

    Instant now() {
        return clock.instant();
    }

    void woke() {
        wake.run();
    }

    // ---- conversation changes (inside the inbox's transaction) --------------------------------------------------

    /**
     * After {@code before} became {@code after} in {@code tx}: a resolution sends a survey when the policy says so; a
     * complaint label added marks a complaint, the last one removed clears a mark a label set.
     */
    public void afterChange(InboxTransaction tx, Conversation before, Conversation after, Instant now) {
        TenantId tenant = after.tenant();
        ComplaintRules r = rules(tenant);
        if (!r.labels().isEmpty() && !before.tags().equals(after.tags())) {
            Set<String> added = new HashSet<>(after.tags());
            added.removeAll(before.tags());
            added.retainAll(r.labels());
            boolean anyLeft = after.tags().stream().anyMatch(r.labels()::contains);
            if (!added.isEmpty()) {
                setComplaint(tx, after, true, ComplaintSource.LABEL, Optional.empty(), Optional.empty(), now);
            } else if (!anyLeft && before.tags().stream().anyMatch(r.labels()::contains)) {
                Optional<Complaint> c = tx.complaint(tenant, after.id());
                if (c.isPresent() && c.get().source() == ComplaintSource.LABEL) {
                    setComplaint(tx, after, false, ComplaintSource.LABEL, Optional.empty(), Optional.empty(), now);
                }
            }
        }
        if (before.status() != ConversationStatus.RESOLVED && after.status() == ConversationStatus.RESOLVED) {
            SurveyPolicy policy = policy(tenant);
            if (policy.enabled()) {
                sendSurvey(tx, policy, after, now);
            }
        }
    }

    private void sendSurvey(InboxTransaction tx, SurveyPolicy policy, Conversation c, Instant now) {
        TenantId tenant = c.tenant();
        if (c.channel().isEmpty()) {
            return;
        }
        ChannelId channel = c.channel().get();
        Optional<ChannelType> type = channelTypes.apply(tenant, channel);
        if (type.isEmpty()) {
            return;
        }
        Optional<String> agent = handlingAgent(tx, c);
        if (agent.isEmpty() && policy.agentHandledOnly()) {
            return;
        }
        if (!policy.appliesTo(channel, type.get(), c.tags(), agent.map(a -> teamsOf(tx, tenant, a)).orElse(Set.of()))) {
            return;
        }
        if (!policy.oncePer().isZero()) {
            List<Survey> last = tx.surveysOfCustomer(tenant, c.customer(), 1);
            if (!last.isEmpty() && last.get(0).sentAt().plus(policy.oncePer()).isAfter(now)) {
                return;
            }
        }
        Optional<Customer> customer = tx.customer(tenant, c.customer());
        String language = policy.languageFor(customer.flatMap(Customer::language));
        String id = "sv-" + UUID.randomUUID();
        List<String> labels = policy.labels(language);
        List<Choice> choices = new ArrayList<>();
        for (int rating = 1; rating <= 5; rating++) {
            // numbered in this order, so a numbered reply "n" is rating n on every channel
            choices.add(Choice.postback(labels.get(rating - 1), SurveyPolicy.PAYLOAD_PREFIX + id + ":" + rating));
        }
        Content content = Content.of(new Choices(Optional.of(Text.plain(policy.question(language,
                customer.flatMap(Customer::displayName)))), choices));
        Message sent;
        try {
            sent = replies.queue(tx, tenant, c.id(), content, ReplyOptions.defaults().channel(channel).automated(true));
        } catch (ContactNotAllowedException | IllegalArgumentException e) {
            // both are thrown before the reply path writes anything
            log.debug("No survey for conversation {} of tenant {}: {}", c.id(), tenant, e.getMessage());
            return;
        }
        Instant at = stored(now);
        Survey survey = Survey.sent(tenant, id, c.id(), c.customer(), sent.channel(), agent, sent.id(), at,
                at.plus(policy.answerWindow()));
        tx.saveSurvey(survey);
        tx.appendEvent(event(tenant, InboxEvent.Type.SURVEY_SENT, c.id(), sent.id(), c.customer(), now,
                InboxEvent.Attribute.CHANNEL, sent.channel().value(), InboxEvent.Attribute.SURVEY, id,
                InboxEvent.Attribute.AGENT, agent.orElse(null)));
    }

    // ---- answers (inside the ingest transaction, before threading) ----------------------------------------------

    /**
     * Takes an inbound message as the answer to the customer's latest survey when it is one: a rating (a plain digit
     * 1-5, the number of a numbered choice of the survey, or a digit, a separator and a comment) while the survey
     * waits for one, its window is open and the conversation is still resolved since the survey; or the first
     * message after a rating without comment, within the comment window, as the comment. Returns true when it stored
     * the message as an answer (the caller must then not thread it).
     */
    public boolean answerMessage(InboxTransaction tx, Channel channel, Customer customer, Set<CustomerId> ids,
                                 InboundEvent.MessageReceived m, Instant now) {
        TenantId tenant = channel.tenant();
        SurveyPolicy policy = policy(tenant);
        if (!policy.enabled()) {
            return false;
        }
        Optional<Survey> latest = Optional.empty();
        for (CustomerId id : ids) {
            for (Survey s : tx.surveysOfCustomer(tenant, id, 1)) {
                if (latest.isEmpty() || s.sentAt().isAfter(latest.get().sentAt())) {
                    latest = Optional.of(s);
                }
            }
        }
        if (latest.isEmpty()) {
            return false;
        }
        Survey s = latest.get();
        Optional<Conversation> c = tx.conversation(tenant, s.conversation());
        // text answers count only while the resolution the survey was sent for stands: after a reopen, "5" is talk.
        // Compared in microseconds, the precision every database keeps (the survey was sent at the resolution time)
        if (c.isEmpty() || c.get().status() != ConversationStatus.RESOLVED
                || c.get().resolvedAt().map(r -> r.truncatedTo(ChronoUnit.MICROS)
                        .isAfter(s.sentAt().truncatedTo(ChronoUnit.MICROS))).orElse(true)) {
            return false;
        }
        String text = textOf(m.content());
        if (!s.rated()) {
            if (now.isAfter(s.answerUntil())) {
                return false;
            }
            Optional<Integer> rating = ratingOf(tx, s, text);
            Optional<String> comment = Optional.empty();
            if (rating.isEmpty()) {
                Matcher both = DIGIT_AND_COMMENT.matcher(text);
                if (!both.matches()) {
                    return false;
                }
                rating = Optional.of(Integer.parseInt(both.group(1)));
                comment = Optional.of(both.group(2).strip());
            }
            Message stored = storeAnswer(tx, channel, customer, m, s, now);
            rate(tx, s, rating.get(), Optional.of(stored.id()), comment, now);
            return true;
        }
        if (s.comment().isEmpty() && !policy.commentWindow().isZero() && !text.isBlank()
                && !now.isAfter(s.ratedAt().orElseThrow().plus(policy.commentWindow()))) {
            Message stored = storeAnswer(tx, channel, customer, m, s, now);
            tx.saveSurvey(s.withComment(text.strip()));
            tx.appendEvent(event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, s.conversation(), stored.id(),
                    s.customer(), now, InboxEvent.Attribute.SURVEY, s.id(), InboxEvent.Attribute.COMMENT,
                    text.strip(), InboxEvent.Attribute.SOURCE, "survey"));
            return true;
        }
        return false;
    }

    /**
     * Takes a button press whose payload is a survey's ({@code survey:<id>:<rating>}) of this customer as its rating:
     * the first press within the answer window counts, whatever happened to the conversation since (the rating belongs
     * to the resolution the survey was sent for); later presses are acknowledged and ignored. Returns true when the
     * press was a survey's (the caller must then not thread it); the platform acknowledgement is added to
     * {@code afterCommit}.
     */
    public boolean answerPostback(InboxTransaction tx, Channel channel, Set<CustomerId> ids, InboundEvent.Postback p,
                                  Instant now, List<Runnable> afterCommit) {
        String payload = p.payload();
        if (!payload.startsWith(SurveyPolicy.PAYLOAD_PREFIX)) {
            return false;
        }
        int colon = payload.lastIndexOf(':');
        if (colon <= SurveyPolicy.PAYLOAD_PREFIX.length() || colon != payload.length() - 2) {
            return false;
        }
        char digit = payload.charAt(colon + 1);
        if (digit < '1' || digit > '5') {
            return false;
        }
        String id = payload.substring(SurveyPolicy.PAYLOAD_PREFIX.length(), colon);
        Optional<Survey> survey = tx.survey(channel.tenant(), id).filter(s -> ids.contains(s.customer()));
        if (survey.isEmpty()) {
            return false;
        }
        Survey s = survey.get();
        if (!s.rated() && !now.isAfter(s.answerUntil())) {
            rate(tx, s, digit - '0', Optional.empty(), Optional.empty(), now);
        } else {
            log.debug("Survey {} answered again or late ({}); ignored", s.id(), payload);
        }
        afterCommit.add(() -> channel.acknowledgePostback(p, Optional.empty()).whenComplete((v, err) -> {
            if (err != null) {
                log.warn("Channel {} failed to acknowledge survey postback {}: {}", channel.id(), p.eventId(),
                        err.toString());
            }
        }));
        return true;
    }

    /**
     * The message's text parts joined: an email reply is its new text plus the quoted original as an attachment, and
     * only the text is the answer.
     */
    private static String textOf(Content content) {
        StringBuilder sb = new StringBuilder();
        for (var part : content.parts()) {
            if (part instanceof Text t) {
                sb.append(t.plainText());
            }
        }
        return sb.toString();
    }

    private static Optional<Integer> ratingOf(InboxTransaction tx, Survey s, String text) {
        Optional<String> chosen = tx.choiceMap(s.tenant(), s.conversation()).flatMap(map -> map.resolve(text));
        String prefix = SurveyPolicy.PAYLOAD_PREFIX + s.id() + ":";
        if (chosen.isPresent() && chosen.get().startsWith(prefix)) {
            return Optional.of(Integer.parseInt(chosen.get().substring(prefix.length())));
        }
        Matcher digit = DIGIT.matcher(text);
        return digit.matches() ? Optional.of(Integer.parseInt(digit.group(1))) : Optional.empty();
    }

    private static Message storeAnswer(InboxTransaction tx, Channel channel, Customer customer,
                                       InboundEvent.MessageReceived m, Survey s, Instant now) {
        // kept in the survey's conversation for the record; the conversation itself is not touched
        Message message = new Message(s.tenant(), MessageId.random(), s.conversation(), customer.id(), channel.id(),
                Direction.INBOUND, m.account().key(), Optional.empty(), m.content(),
                Optional.of(m.platformMessageId()), DeliveryStatus.RECEIVED, Optional.empty(), m.occurredAt(), now);
        tx.saveMessage(message);
        return message;
    }

    private void rate(InboxTransaction tx, Survey s, int rating, Optional<MessageId> message, Optional<String> comment,
                      Instant now) {
        Survey rated = s.withRating(rating, stored(now));
        tx.saveSurvey(comment.map(rated::withComment).orElse(rated));
        tx.appendEvent(event(s.tenant(), InboxEvent.Type.SATISFACTION_RATED, s.conversation(), message.orElse(null),
                s.customer(), now, InboxEvent.Attribute.RATING, Integer.toString(rating),
                InboxEvent.Attribute.AGENT, s.agent().orElse(null), InboxEvent.Attribute.COMMENT,
                comment.orElse(null), InboxEvent.Attribute.SURVEY, s.id()));
        if (rules(s.tenant()).marksRating(rating)) {
            tx.conversation(s.tenant(), s.conversation()).ifPresent(c ->
                    setComplaint(tx, c, true, ComplaintSource.RATING, s.agent(), Optional.empty(), now));
        }
    }

    // ---- complaints ---------------------------------------------------------------------------------------------

    /**
     * Marks ({@code marked}) or clears the conversation's complaint in {@code tx} and appends its event; a mark on a
     * marked conversation, or a clear on an unmarked one, changes nothing. A mark is attributed to {@code agent} when
     * given, else to the agent handling the conversation now; a clear keeps the mark's agent.
     */
    Complaint setComplaint(InboxTransaction tx, Conversation c, boolean marked, ComplaintSource source,
                           Optional<String> agent, Optional<String> actor, Instant now) {
        Optional<Complaint> existing = tx.complaint(c.tenant(), c.id());
        if (existing.map(Complaint::marked).orElse(false) == marked) {
            return existing.orElseGet(() -> new Complaint(c.tenant(), c.id(), false, Optional.empty(), source, now));
        }
        Optional<String> attributed = marked ? agent.or(() -> handlingAgent(tx, c))
                : existing.flatMap(Complaint::agent);
        Complaint complaint = new Complaint(c.tenant(), c.id(), marked, attributed, source, stored(now));
        tx.saveComplaint(complaint);
        tx.appendEvent(event(c.tenant(), marked ? InboxEvent.Type.COMPLAINT_MARKED : InboxEvent.Type.COMPLAINT_CLEARED,
                c.id(), null, c.customer(), now, InboxEvent.Attribute.AGENT, attributed.orElse(null),
                InboxEvent.Attribute.SOURCE, source.value(), InboxEvent.Attribute.ACTOR, actor.orElse(null)));
        return complaint;
    }

    /** An instant as every store keeps it (microseconds), so what is returned equals what is read back. */
    private static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Who handles the conversation: its assignee, else the agent of the latest reply an agent wrote. */
    static Optional<String> handlingAgent(InboxTransaction tx, Conversation c) {
        if (c.assignee().isPresent()) {
            return c.assignee();
        }
        List<Message> history = tx.messages(c.tenant(), c.id());
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.direction() == Direction.OUTBOUND && m.agent().isPresent()) {
                return m.agent();
            }
        }
        return Optional.empty();
    }

    private static Set<String> teamsOf(InboxTransaction tx, TenantId tenant, String agent) {
        try {
            return tx.agent(tenant, agent).map(a -> a.agent().teams()).orElse(Set.of());
        } catch (UnsupportedOperationException e) {
            return Set.of(); // a store without routing has no teams
        }
    }

    private static InboxEvent event(TenantId tenant, InboxEvent.Type type, ConversationId conversation,
                                    MessageId message, CustomerId customer, Instant at, String... attributes) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                attrs.put(attributes[i], attributes[i + 1]);
            }
        }
        return new InboxEvent(0, tenant, type, Optional.ofNullable(conversation), Optional.ofNullable(message),
                Optional.ofNullable(customer), attrs, at);
    }
}
