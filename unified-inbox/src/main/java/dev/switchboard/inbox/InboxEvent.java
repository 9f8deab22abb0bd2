package dev.switchboard.inbox;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in the inbox, as it appears in the durable event feed: a message stored, a delivery status
 * changed, a conversation opened, assigned or resolved, customers merged, input quarantined. Events are numbered by a
 * feed-wide sequence ({@code seq}) that only grows, so a host reading {@code events(afterSeq, limit)} after downtime
 * catches up without missing or repeating anything. Events name the objects they concern and carry a few flat
 * attributes, named by the constants of {@link Attribute} (typed accessors: {@link #channel()},
 * {@link #deliveryStatus()}); read the objects themselves through the inbox. Immutable and thread-safe.
 *
 * <pre>{@code
 * inbox.addListener(event -> {
 *     if (event.type() == InboxEvent.Type.DELIVERY_STATUS_CHANGED
 *             && event.deliveryStatus().orElse(null) == DeliveryStatus.FAILED) {
 *         alert(event.message().orElseThrow(), event.attribute(InboxEvent.Attribute.REASON).orElse("?"));
 *     }
 * });
 * }</pre>
 *
 * @param seq the position in the feed, from 1, only growing; pass the last one you handled to
 *     {@link Inbox#events(long, int)} to continue after it
 * @param tenant the tenant the event belongs to
 * @param type what happened
 * @param conversation the conversation concerned, when there is one
 * @param message the message concerned, when there is one
 * @param customer the customer concerned, when there is one (as of the event; follow merges through the inbox)
 * @param attributes flat details, keyed by {@link Attribute} names; which keys an event has depends on its type
 * @param at when it happened (the inbox clock)
 */
public record InboxEvent(long seq, TenantId tenant, Type type, Optional<ConversationId> conversation,
                         Optional<MessageId> message, Optional<CustomerId> customer, Map<String, String> attributes,
                         Instant at) {

    /** What happened; each constant lists the {@link Attribute}s its events carry. */
    public enum Type {
        /** A customer's message was stored: {@code channel}, {@code channelType}, {@code automated} (if true). */
        MESSAGE_RECEIVED,
        /** A customer edited a stored message: {@code channel}. */
        MESSAGE_EDITED,
        /** A button was pressed or a numbered choice answered: {@code channel}, {@code payload}, {@code source}. */
        POSTBACK_RECEIVED,
        /** A reply was accepted and queued: {@code channel}, {@code parts}, {@code agent}, {@code automated}. */
        REPLY_QUEUED,
        /**
         * A reply's delivery status changed (QUEUED first, then SENT, DELIVERED, READ or FAILED): {@code channel},
         * {@code status}, {@code source}, and {@code reason} when it failed, {@code platformMessageId} when sent.
         */
        DELIVERY_STATUS_CHANGED,
        /** A conversation was opened: {@code channel}. */
        CONVERSATION_OPENED,
        /** A resolved conversation was reopened by a new message within the reopen window. */
        CONVERSATION_REOPENED,
        /**
         * A conversation's assignee, status, priority or tags changed, or it joined a routing queue: one of those
         * attribute names ({@code assignee}, {@code queue}, ...); routing adds {@code source} {@code routing} and a
         * {@code reason} (the router, {@code sticky}, {@code agent offline}, {@code agent removed}, ...).
         */
        CONVERSATION_UPDATED,
        /** A conversation was resolved: {@code status}, and {@code reason}/{@code into} when a merge folded it. */
        CONVERSATION_RESOLVED,
        /** A customer was created for a new account: {@code channel}. */
        CUSTOMER_CREATED,
        /** Two customers were merged: {@code absorbed}, {@code merge}, {@code actor}, {@code reason}. */
        CUSTOMERS_MERGED,
        /** A merge was undone: {@code merge}, {@code restored}, {@code actor}. */
        MERGE_UNDONE,
        /** Two customers might be the same person: {@code suggestion}, {@code other}, {@code score}. */
        MERGE_SUGGESTED,
        /** An account was linked, blocked or unblocked, or preferences changed: {@code kind} and more. */
        ACCOUNT_UPDATED,
        /** Input was quarantined: {@code channel}, {@code reason}, {@code quarantineId}. */
        INPUT_QUARANTINED,
        /**
         * An automatic acknowledgement telling the customer when to expect the answer was queued (the message is the
         * acknowledgement; its REPLY_QUEUED event follows the usual way): {@code channel}, {@code expectedBy},
         * {@code businessOpen}, {@code language}, {@code calendar}.
         */
        ACKNOWLEDGEMENT_QUEUED,
        /**
         * An agent was registered, changed or removed, or changed presence: {@code agent}, {@code kind}
         * ({@code REGISTERED}, {@code UPDATED}, {@code REMOVED}, {@code PRESENCE}), {@code presence}.
         */
        AGENT_UPDATED,
        /**
         * An SLA deadline of a conversation reached its warning point (by default 80 % of its target) without being
         * met: {@code slaKind}, {@code slaPolicy}, {@code dueAt}. Published once per deadline, by one node.
         */
        SLA_WARNING,
        /**
         * An SLA deadline of a conversation passed without being met: {@code slaKind}, {@code slaPolicy},
         * {@code dueAt}. Published once per deadline, by one node, within a second of {@code dueAt}; the policy's
         * escalations (a CONVERSATION_UPDATED with {@code source} {@code sla}) commit with it.
         */
        SLA_BREACHED,
        /**
         * A consent decision was appended to the customer's consent ledger: {@code purpose}, {@code granted}
         * ({@code true}/{@code false}), {@code channelType} when limited to one, {@code channel} and {@code account}
         * when it came through an account, {@code source} ({@code keyword}, {@code platform}, {@code host}, ...).
         */
        CONSENT_RECORDED,
        /**
         * A campaign changed state (created READY, RUNNING, PAUSED, COMPLETED, CANCELLED): {@code campaign},
         * {@code campaignState}, {@code purpose}, and on COMPLETED and CANCELLED the totals {@code sent},
         * {@code failed}, {@code skipped}. Per-recipient outcomes are not events (they would flood the feed): read
         * them with {@code Campaigns.recipients}.
         */
        CAMPAIGN_UPDATED,
        /**
         * A customer unsubscribed through a campaign's unsubscribe link (consent withdrawn): {@code campaign},
         * {@code purpose}, {@code source} ({@code unsubscribe-link}).
         */
        CAMPAIGN_UNSUBSCRIBED,
        /**
         * A satisfaction survey was queued for a resolved conversation (the message is the survey; its REPLY_QUEUED
         * event follows the usual way, {@code automated}): {@code channel}, {@code survey} (the survey id),
         * {@code agent} (who resolved the conversation, absent if nobody).
         */
        SURVEY_SENT,
        /**
         * A customer rated a survey (once per survey; the message, when present, is the customer's answer, which
         * neither reopens the conversation nor counts as a request): {@code rating} ({@code "1"}..{@code "5"}),
         * {@code agent} (who resolved the conversation when the survey was sent; absent if nobody), {@code comment}
         * (when the rating message carried one), {@code survey}.
         */
        SATISFACTION_RATED,
        /**
         * A conversation was marked as a complaint: {@code agent} (the agent handling it then; absent if nobody),
         * {@code source} ({@code agent}, {@code label} or {@code rating}).
         */
        COMPLAINT_MARKED,
        /** A conversation's complaint mark was cleared: {@code agent} (as when marked), {@code source}. */
        COMPLAINT_CLEARED,
        /**
         * A customer's personal data was erased (the customer named is the id the erasure was asked for):
         * {@code actor}, {@code erasedMessages}. Published once, when the erasure completes.
         */
        CUSTOMER_ERASED,
        /**
         * An SLA policy's first-response or resolution clock started for a conversation (or another policy now
         * applies to a running one): {@code slaKind}, {@code slaPolicy}, {@code dueAt}. The KPIs count SLA
         * attainment over the cycles such a clock started in. Next-response clocks (one per customer wait) publish
         * none.
         */
        SLA_STARTED
    }

    /**
     * The names of the attributes the inbox puts on events (see {@link Type} for which type carries which). Values
     * are strings; numbers and enum constants are written in their {@code toString} form.
     */
    public static final class Attribute {
        /** The channel id ({@link ChannelId#value()}); see {@link InboxEvent#channel()}. */
        public static final String CHANNEL = "channel";
        /** The channel's type ({@code ChannelType.value()}), on MESSAGE_RECEIVED. */
        public static final String CHANNEL_TYPE = "channelType";
        /** {@code "true"} when no human wrote the message or reply (absent otherwise). */
        public static final String AUTOMATED = "automated";
        /** How many platform messages (bubbles) a reply was rendered into. */
        public static final String PARTS = "parts";
        /** The agent who wrote a reply, or the agent an {@code AGENT_UPDATED} event is about. */
        public static final String AGENT = "agent";
        /** A {@code DeliveryStatus} or {@code ConversationStatus} name; see {@link InboxEvent#deliveryStatus()}. */
        public static final String STATUS = "status";
        /**
         * Where a change came from: {@code reply}, {@code outbox}, {@code platform} (delivery statuses),
         * {@code button}, {@code numbered-reply} (postbacks), {@code inbound message}.
         */
        public static final String SOURCE = "source";
        /** Why: a failure reason, a quarantine reason, a merge reason, or {@code merged}. */
        public static final String REASON = "reason";
        /** The platform's id of the message concerned. */
        public static final String PLATFORM_MESSAGE_ID = "platformMessageId";
        /** The message id of another reply the platform returned the same platform id for. */
        public static final String PLATFORM_MESSAGE_ID_COLLISION = "platformMessageIdCollision";
        /** The id of the quarantine entry ({@code QuarantineEntry.id()}). */
        public static final String QUARANTINE_ID = "quarantineId";
        /** The stored message a quarantined duplicate repeats. */
        public static final String DUPLICATE_OF = "duplicateOf";
        /** A postback's payload. */
        public static final String PAYLOAD = "payload";
        /** The platform user id of the account concerned. */
        public static final String ACCOUNT = "account";
        /**
         * What happened to an account: {@code LINKED}, {@code BLOCKED}, {@code UNBLOCKED}, {@code BLOCKED_US},
         * {@code UNBLOCKED_US}, {@code PREFERENCES}, or a platform's account update kind.
         */
        public static final String KIND = "kind";
        /** Who did it, as the caller of the merge, link or decision named themselves. */
        public static final String ACTOR = "actor";
        /** A merge suggestion's id. */
        public static final String SUGGESTION = "suggestion";
        /** The other customer of a merge suggestion. */
        public static final String OTHER = "other";
        /** A merge suggestion's score (0..1). */
        public static final String SCORE = "score";
        /** A merge's id. */
        public static final String MERGE = "merge";
        /** The customer a merge absorbed. */
        public static final String ABSORBED = "absorbed";
        /** The customer an undone merge gave back. */
        public static final String RESTORED = "restored";
        /** The conversation a folded conversation continues in. */
        public static final String INTO = "into";
        /** The new assignee (empty when unassigned). */
        public static final String ASSIGNEE = "assignee";
        /** The new priority. */
        public static final String PRIORITY = "priority";
        /** Tags added, comma-separated. */
        public static final String TAGS = "tags";
        /** Tags removed, comma-separated. */
        public static final String UNTAGGED = "untagged";
        /** When the customer was told to expect the answer (an ISO-8601 instant), on ACKNOWLEDGEMENT_QUEUED. */
        public static final String EXPECTED_BY = "expectedBy";
        /** {@code "true"} when the business calendar was open as the customer wrote, else {@code "false"}. */
        public static final String BUSINESS_OPEN = "businessOpen";
        /** The language of the template an acknowledgement was written from. */
        public static final String LANGUAGE = "language";
        /** The name of the business calendar a decision used. */
        public static final String CALENDAR = "calendar";
        /** The routing queue a conversation waits in. */
        public static final String QUEUE = "queue";
        /**
         * How long a conversation waited in its routing queue before this assignment, in milliseconds (on
         * CONVERSATION_UPDATED events of routing that assign an agent).
         */
        public static final String WAITED_MS = "waitedMs";
        /** An agent's presence ({@code ONLINE}, {@code AWAY}, {@code OFFLINE}). */
        public static final String PRESENCE = "presence";
        /** The {@code SlaKind} of an SLA event ({@code FIRST_RESPONSE}, {@code NEXT_RESPONSE}, {@code RESOLUTION}). */
        public static final String SLA_KIND = "slaKind";
        /** The name of the SLA policy that set the deadline of an SLA event. */
        public static final String SLA_POLICY = "slaPolicy";
        /** When the deadline of an SLA event is (or was) due, an ISO-8601 instant. */
        public static final String DUE_AT = "dueAt";
        /** The consent purpose of a {@code CONSENT_RECORDED} or campaign event ({@code service}, {@code marketing}, ...). */
        public static final String PURPOSE = "purpose";
        /** Whether a {@code CONSENT_RECORDED} event is a grant ({@code true}) or a withdrawal ({@code false}). */
        public static final String GRANTED = "granted";
        /** The campaign id of a campaign event. */
        public static final String CAMPAIGN = "campaign";
        /** The {@code CampaignState} a campaign event reports. */
        public static final String CAMPAIGN_STATE = "campaignState";
        /** How many recipients of a campaign were sent to (a decimal count). */
        public static final String SENT = "sent";
        /** How many recipients of a campaign failed (a decimal count). */
        public static final String FAILED = "failed";
        /** How many recipients of a campaign were skipped (a decimal count). */
        public static final String SKIPPED = "skipped";
        /** A survey's id, on SURVEY_SENT and SATISFACTION_RATED. */
        public static final String SURVEY = "survey";
        /** A survey rating, {@code "1"} to {@code "5"}, on SATISFACTION_RATED. */
        public static final String RATING = "rating";
        /** The customer's comment on a survey. */
        public static final String COMMENT = "comment";
        /** How many messages an erasure deleted, on CUSTOMER_ERASED. */
        public static final String ERASED_MESSAGES = "erasedMessages";

        private Attribute() {
        }
    }

    /** Checks that no component is null and copies the attributes. */
    public InboxEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(customer, "customer");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(at, "at");
    }

    /** The attribute with this name (one of {@link Attribute}), when the event has it. */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(Objects.requireNonNull(name, "name")));
    }

    /** The channel the event concerns ({@link Attribute#CHANNEL}), when it concerns one. */
    public Optional<ChannelId> channel() {
        return attribute(Attribute.CHANNEL).map(ChannelId::of);
    }

    /** The delivery status a {@link Type#DELIVERY_STATUS_CHANGED} event reports; empty for other types. */
    public Optional<DeliveryStatus> deliveryStatus() {
        return type == Type.DELIVERY_STATUS_CHANGED
                ? attribute(Attribute.STATUS).map(DeliveryStatus::valueOf) : Optional.empty();
    }

    /**
     * A copy numbered {@code seq}. Part of the store SPI: an {@code InboxTransaction.appendEvent} implementation
     * numbers the event it stores with it; hosts never need it.
     */
    public InboxEvent withSeq(long seq) {
        return new InboxEvent(seq, tenant, type, conversation, message, customer, attributes, at);
    }
}
