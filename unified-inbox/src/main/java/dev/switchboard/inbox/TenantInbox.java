package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.content.Content;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.identity.Unmerge;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's side of an {@link Inbox}, from {@link Inbox#forTenant(TenantId)}: the same operations without a tenant
 * argument, all scoped to this tenant, and listeners that only hear this tenant's events. A host serving many
 * businesses hands each business's code its own view, so a reply, a read or a listener can never reach another
 * business by a forgotten argument. Cheap to create; thread-safe like the inbox.
 *
 * <pre>{@code
 * TenantInbox shop = inbox.forTenant(TenantId.of("shop-minsk"));
 * shop.onMessageReceived(m -> shop.reply(m.conversation().id(), Content.text("Thanks, we are on it.")));
 * }</pre>
 */
public final class TenantInbox {
    private static final Logger log = LoggerFactory.getLogger(TenantInbox.class);

    private final Inbox inbox;
    private final TenantId tenant;

    TenantInbox(Inbox inbox, TenantId tenant) {
        this.inbox = inbox;
        this.tenant = tenant;
    }

    /** The tenant this view is scoped to. */
    public TenantId tenant() {
        return tenant;
    }

    /** This tenant's channels, in the order they were added. */
    public List<Channel> channels() {
        return inbox.channels().stream().filter(c -> c.tenant().equals(tenant)).toList();
    }

    /** This tenant's channel with this id. */
    public Optional<Channel> channel(ChannelId id) {
        return inbox.channel(tenant, id);
    }

    // ---- listening ---------------------------------------------------------------------------------------------

    /** Adds a listener for this tenant's events committed from now on; close the subscription to remove it. */
    public Subscription addListener(InboxListener listener) {
        Objects.requireNonNull(listener, "listener");
        return inbox.addListener(event -> {
            if (event.tenant().equals(tenant)) {
                listener.onEvent(event);
            }
        });
    }

    /**
     * Calls {@code listener} with every message this tenant receives from now on, together with its customer and
     * conversation (read in one transaction after the event committed), on the inbox's dispatcher thread. Close the
     * subscription to stop.
     */
    public Subscription onMessageReceived(Consumer<ReceivedMessage> listener) {
        Objects.requireNonNull(listener, "listener");
        return addListener(event -> {
            if (event.type() != InboxEvent.Type.MESSAGE_RECEIVED || event.message().isEmpty()) {
                return;
            }
            Optional<ReceivedMessage> received = inbox.received(event);
            if (received.isEmpty()) {
                log.warn("Message {} of event {} is gone; not calling the listener", event.message().get(),
                        event.seq());
                return;
            }
            listener.accept(received.get());
        });
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /**
     * This tenant's conversations matching the query's filters, newest activity first, paged. The query runs in this
     * view's tenant whatever tenant it was built for, so build it with {@link #query()}:
     * {@code shop.conversations(shop.query().status(ConversationStatus.OPEN).limit(20).build())}.
     */
    public Page<Conversation> conversations(ConversationQuery query) {
        return inbox.conversations(Objects.requireNonNull(query, "query").inTenant(tenant));
    }

    /** This tenant's first {@code limit} conversations, newest activity first. */
    public Page<Conversation> conversations(int limit) {
        return inbox.conversations(ConversationQuery.all(tenant, limit));
    }

    /** A conversation query builder for this tenant, to pass to {@link #conversations(ConversationQuery)}. */
    public ConversationQuery.Builder query() {
        return ConversationQuery.builder(tenant);
    }

    /** One conversation of this tenant, empty when there is none with this id. */
    public Optional<Conversation> conversation(ConversationId id) {
        return inbox.conversation(tenant, id);
    }

    /** One conversation's messages in the order they were stored. */
    public List<Message> messages(ConversationId conversation) {
        return inbox.messages(tenant, conversation);
    }

    /** One stored message of this tenant. */
    public Optional<Message> message(MessageId id) {
        return inbox.message(tenant, id);
    }

    /** The customer as they are now (following merges), or empty when the id is unknown in this tenant. */
    public Optional<Customer> customer(CustomerId id) {
        return inbox.customer(tenant, id);
    }

    /** A customer's whole history across channels and conversations, merged identities included. */
    public Page<Message> timeline(CustomerId customer, PageRequest page) {
        return inbox.timeline(tenant, customer, page);
    }

    /** This tenant's quarantined input, newest first. */
    public List<QuarantineEntry> quarantined(int limit) {
        return inbox.quarantined(tenant, limit);
    }

    /** This tenant's part of the event feed after {@code afterSeq}, oldest first. */
    public List<InboxEvent> events(long afterSeq, int limit) {
        return inbox.events(tenant, afterSeq, limit);
    }

    /** The newest sequence number of the whole feed; see {@link Inbox#lastEventSeq()}. */
    public long lastEventSeq() {
        return inbox.lastEventSeq();
    }

    // ---- replying and agent actions ----------------------------------------------------------------------------

    /** Replies on the channel the customer last wrote from; see {@link Inbox#reply(TenantId, ConversationId, Content,
     * ReplyOptions)}. */
    public Message reply(ConversationId conversation, Content content) {
        return inbox.reply(tenant, conversation, content, ReplyOptions.defaults());
    }

    /** Queues a reply with options; see {@link Inbox#reply(TenantId, ConversationId, Content, ReplyOptions)}. */
    public Message reply(ConversationId conversation, Content content, ReplyOptions options) {
        return inbox.reply(tenant, conversation, content, options);
    }

    /** Assigns the conversation to an agent; see {@link Inbox#assign(TenantId, ConversationId, String)}. */
    public Conversation assign(ConversationId conversation, String agent) {
        return inbox.assign(tenant, conversation, agent);
    }

    /** Removes the conversation's assignee. */
    public Conversation unassign(ConversationId conversation) {
        return inbox.unassign(tenant, conversation);
    }

    /** Moves the conversation to a status; RESOLVED records the resolution time. */
    public Conversation setStatus(ConversationId conversation, ConversationStatus status) {
        return inbox.setStatus(tenant, conversation, status);
    }

    /** Resolves the conversation ({@code setStatus(conversation, RESOLVED)}). */
    public Conversation resolve(ConversationId conversation) {
        return inbox.resolve(tenant, conversation);
    }

    /** Sets the conversation's priority. */
    public Conversation setPriority(ConversationId conversation, Priority priority) {
        return inbox.setPriority(tenant, conversation, priority);
    }

    /** Adds tags to the conversation. */
    public Conversation tag(ConversationId conversation, Set<String> tags) {
        return inbox.tag(tenant, conversation, tags);
    }

    /** Removes tags from the conversation. */
    public Conversation untag(ConversationId conversation, Set<String> tags) {
        return inbox.untag(tenant, conversation, tags);
    }

    /** This tenant's SLA policies and deadlines; see {@link dev.switchboard.inbox.sla.Sla}. */
    public dev.switchboard.inbox.sla.Sla sla() {
        return inbox.sla(tenant);
    }

    /** This tenant's consent ledger and keyword rule; see {@link dev.switchboard.inbox.consent.Consents}. */
    public dev.switchboard.inbox.consent.Consents consent() {
        return inbox.consent(tenant);
    }

    /** This tenant's campaigns (opt-in broadcasts); see {@link dev.switchboard.inbox.campaign.Campaigns}. */
    public dev.switchboard.inbox.campaign.Campaigns campaigns() {
        return inbox.campaigns(tenant);
    }

    /** This tenant's KPIs (first response, resolution, volume, CSAT, ...); see {@link dev.switchboard.inbox.kpi.Kpis}. */
    public dev.switchboard.inbox.kpi.Kpis kpis() {
        return inbox.kpis(tenant);
    }

    /** This tenant's agents, presence, queue and assignment; see {@link dev.switchboard.inbox.routing.Routing}. */
    public dev.switchboard.inbox.routing.Routing routing() {
        return inbox.routing(tenant);
    }

    /** This tenant's satisfaction surveys: the policy and the surveys sent; see {@link Inbox#surveys(TenantId)}. */
    public dev.switchboard.inbox.survey.Surveys surveys() {
        return inbox.surveys(tenant);
    }

    /** This tenant's complaint marks and rules; see {@link Inbox#complaints(TenantId)}. */
    public dev.switchboard.inbox.survey.Complaints complaints() {
        return inbox.complaints(tenant);
    }

    /** This tenant's canned responses; see {@link Inbox#cannedResponses(TenantId)}. */
    public dev.switchboard.inbox.canned.CannedResponses cannedResponses() {
        return inbox.cannedResponses(tenant);
    }

    /** This tenant's export and erasure of customer data; see {@link dev.switchboard.inbox.privacy.Privacy}. */
    public dev.switchboard.inbox.privacy.Privacy privacy() {
        return inbox.privacy(tenant);
    }

    /**
     * Emails the conversation's transcript to {@code emailAddress} through this tenant's email channel; see
     * {@link dev.switchboard.inbox.privacy.Privacy#sendTranscript(ConversationId, String)}.
     */
    public Message sendTranscript(ConversationId conversation, String emailAddress) {
        return privacy().sendTranscript(conversation, emailAddress);
    }

    // ---- identity ----------------------------------------------------------------------------------------------

    /** Open merge suggestions for an agent to decide, highest score first. */
    public List<MergeSuggestion> suggestions(int limit) {
        return inbox.suggestions(tenant, limit);
    }

    /** Accepts (merges) or rejects a suggestion; {@code actor} is recorded. */
    public MergeSuggestion decide(SuggestionId suggestion, boolean accept, String actor) {
        return inbox.decide(tenant, suggestion, accept, actor);
    }

    /** Merges two customers on an agent's word; the older survives. */
    public MergeRecord merge(CustomerId a, CustomerId b, String actor, String reason) {
        return inbox.merge(tenant, a, b, actor, reason);
    }

    /** Undoes a merge, giving back both customers as they were. */
    public Unmerge unmerge(MergeId merge, String actor) {
        return inbox.unmerge(tenant, merge, actor);
    }

    /** Changes a customer's preferences (preferred channel, do-not-contact, consent) in one transaction. */
    public Customer updatePreferences(CustomerId customer, UnaryOperator<Preferences> change) {
        return inbox.updatePreferences(tenant, customer, change);
    }

    // ---- operations --------------------------------------------------------------------------------------------

    /** This tenant's business calendars (a default, per channel, per team), changeable at runtime. */
    public CalendarRegistry calendars() {
        return inbox.calendars(tenant);
    }

    /** This tenant's acknowledgement policy. */
    public AckPolicy acknowledgements() {
        return inbox.acknowledgements(tenant);
    }

    /** Replaces this tenant's acknowledgement policy; applies to messages stored from now on. */
    public void setAcknowledgements(AckPolicy policy) {
        inbox.setAcknowledgements(tenant, policy);
    }

    @Override
    public String toString() {
        return "TenantInbox[" + tenant + "]";
    }
}
