package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.ack.ExpectedAnswer;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and queues the automatic acknowledgement of a customer's message inside the transaction that stores the
 * message, so the decision commits (or rolls back) with it: a crash never loses an acknowledgement whose message was
 * stored, and a redelivered message never gets a second one. "At most once per period" is a mark per conversation in
 * the store's send-pace table ({@code ack:<tenant>:<conversation>} holding the earliest instant of the next
 * acknowledgement), read with a row lock and first written with a plain insert, so two nodes storing messages of one
 * conversation at once serialise on it (the loser's transaction is run again and sees the mark). A store without
 * send-pace marks falls back to the conversation's history. Internal.
 */
final class Acknowledgements {
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    /** Queues a reply inside the caller's transaction (the inbox's reply path). */
    interface ReplyQueue {
        Message queue(InboxTransaction tx, TenantId tenant, Conversation conversation, Content content,
                      ReplyOptions options);
    }

    private final TenantOperations operations;
    private final ReplyQueue replies;
    private final boolean marks;
    /** Wakes the outbox after a commit that queued an acknowledgement, so it is sent without waiting for a poll. */
    private final Runnable outboxWake;

    Acknowledgements(TenantOperations operations, ReplyQueue replies, InboxStore store, Runnable outboxWake) {
        this.operations = operations;
        this.replies = replies;
        this.marks = store.sharesSendPacing();
        this.outboxWake = outboxWake;
    }

    static String markKey(TenantId tenant, Conversation conversation) {
        return "ack:" + tenant.value() + ":" + conversation.id().value();
    }

    /**
     * After a customer's (not automated) message was stored in {@code conversation}; when it queues an
     * acknowledgement, it adds the outbox's wake-up to {@code afterCommit}.
     */
    void afterInbound(InboxTransaction tx, Channel channel, Conversation conversation, Customer customer,
                      Instant now, List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        AckPolicy policy = operations.acknowledgements(tenant);
        if (!policy.appliesTo(channel.type()) || !customer.preferences().allows(channel.type())
                || customer.preferences().consentInForce(AckPolicy.CONSENT_PURPOSE, channel.type())
                        .map(c -> !c.granted()).orElse(false)) {
            return;
        }
        String key = markKey(tenant, conversation);
        if (marks) {
            // read first: it locks the conversation's mark, so nodes deciding for one conversation take turns
            Optional<Instant> next = tx.sendPaceMark(key);
            if (next.isPresent() && next.get().isAfter(now)) {
                return;
            }
        }
        List<Message> history = tx.messages(tenant, conversation.id());
        if (!marks && acknowledgedSince(tx, history, now.minus(policy.period()))) {
            return;
        }
        if (agentRepliedRecently(tx, history, now.minus(policy.agentQuietPeriod()))) {
            return;
        }
        BusinessCalendar calendar = operations.calendars(tenant).forChannel(channel.id());
        ExpectedAnswer answer;
        String language;
        String text;
        try {
            answer = policy.expectedAnswer(channel.type(), calendar, now);
            language = policy.languageFor(customer.language());
            text = policy.render(answer, calendar, language, customer.displayName());
        } catch (RuntimeException e) {
            // pure computation (no store access): a calendar that never opens must not fail storing the message
            log.warn("No acknowledgement for conversation {} of tenant {}: {}", conversation.id(), tenant,
                    e.toString());
            return;
        }
        Message ack;
        try {
            ack = replies.queue(tx, tenant, conversation, Content.text(text),
                    ReplyOptions.defaults().channel(channel.id()).automated(true));
        } catch (ContactNotAllowedException | IllegalArgumentException e) {
            // both are thrown before the reply path writes anything
            log.debug("No acknowledgement for conversation {}: {}", conversation.id(), e.getMessage());
            return;
        }
        if (marks) {
            tx.saveSendPaceMark(key, now.plus(policy.period()));
        }
        afterCommit.add(outboxWake);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.ACKNOWLEDGEMENT_QUEUED, conversation.id(), ack.id(),
                customer.id(), now, InboxEvent.Attribute.CHANNEL, channel.id().value(),
                InboxEvent.Attribute.EXPECTED_BY, answer.expectedBy().toString(),
                InboxEvent.Attribute.BUSINESS_OPEN, Boolean.toString(answer.openNow()),
                InboxEvent.Attribute.LANGUAGE, language, InboxEvent.Attribute.CALENDAR, calendar.name()));
    }

    /** Whether a person (not an automatic message) replied in the conversation at or after {@code since}. */
    private static boolean agentRepliedRecently(InboxTransaction tx, List<Message> history, Instant since) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.storedAt().isBefore(since)) {
                return false; // stored in order: everything before is older still
            }
            if (m.direction() == Direction.OUTBOUND && !automated(tx, m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean acknowledgedSince(InboxTransaction tx, List<Message> history, Instant since) {
        for (int i = history.size() - 1; i >= 0 && history.get(i).storedAt().isAfter(since); i--) {
            // strictly after: an acknowledgement exactly one period old no longer holds the next one back
            if (history.get(i).direction() == Direction.OUTBOUND && automated(tx, history.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether an outbound message was sent as automated (its first outbox row says so). */
    private static boolean automated(InboxTransaction tx, Message m) {
        return tx.outboxEntry(m.id().value() + ":0").map(OutboxEntry::message).map(o -> o.automatic())
                .orElse(false);
    }
}
