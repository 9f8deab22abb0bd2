package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the inbox does with a message a machine sent ({@link InboundEvent.MessageReceived#automated()}: auto-replies,
 * out-of-office notes, bounces without a delivery report, mailing lists, bulk mail): it never opens or reopens a
 * conversation and never creates a customer. When the message answers one of ours (it references a message we sent,
 * or a message of the sender's own known customer, or carries a known customer's conversation token) it is stored in
 * that conversation without changing its status, unread state or last-inbound time; otherwise it goes to the
 * quarantine with a reason starting {@link #REASON_PREFIX}, where operators see it (an
 * {@code INPUT_QUARANTINED} event with {@code automated=true} announces it). Internal.
 */
final class AutomatedInbound {
    /** How quarantined automated mail is recognised among other quarantined input. */
    static final String REASON_PREFIX = "automated message";

    private final TenantIdentities identities;

    AutomatedInbound(TenantIdentities identities) {
        this.identities = identities;
    }

    void handle(InboxTransaction tx, Channel channel, InboundEvent.MessageReceived m, Instant now) {
        TenantId tenant = channel.tenant();
        Optional<Message> known = tx.messageByPlatformId(tenant, channel.id(), m.platformMessageId());
        if (known.isPresent() && known.get().direction() == Direction.INBOUND
                && known.get().account().equals(m.account().key())) {
            return; // the same platform message under a different event id
        }
        Optional<CustomerId> sender = tx.customerByAccount(m.account().key())
                .map(id -> identities.of(tenant).canonical(tx, tenant, id));
        Optional<Conversation> answered = answered(tx, channel, m, sender);
        if (answered.isEmpty()) {
            quarantine(tx, channel, m, sender, now);
            return;
        }
        Conversation conversation = answered.get();
        Message message = new Message(tenant, MessageId.random(), conversation.id(), conversation.customer(),
                channel.id(), Direction.INBOUND, m.account().key(), Optional.empty(), m.content(),
                Optional.of(m.platformMessageId()), DeliveryStatus.RECEIVED, Optional.empty(), m.occurredAt(), now);
        tx.saveMessage(message);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.MESSAGE_RECEIVED, conversation.id(), message.id(),
                conversation.customer(), now, "channel", channel.id().value(), "channelType",
                channel.type().value(), "automated", "true"));
    }

    /** The conversation the headers say this message answers, if it is one we know. */
    private Optional<Conversation> answered(InboxTransaction tx, Channel channel, InboundEvent.MessageReceived m,
                                            Optional<CustomerId> sender) {
        TenantId tenant = channel.tenant();
        Set<CustomerId> senderIds = sender.map(id -> identities.of(tenant).identities(tx, tenant, id)).orElse(Set.of());
        List<String> refs = m.thread().referencedPlatformMessageIds();
        for (int i = refs.size() - 1; i >= 0; i--) { // the most recent reference is the message it answers
            Optional<Message> referenced = tx.messageByPlatformId(tenant, channel.id(), refs.get(i));
            if (referenced.isPresent() && (referenced.get().direction() == Direction.OUTBOUND
                    || senderIds.contains(referenced.get().customer()))) {
                Optional<Conversation> c = tx.conversation(tenant, referenced.get().conversation());
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        if (m.thread().conversationToken().isPresent() && !senderIds.isEmpty()) {
            String token = m.thread().conversationToken().get();
            return tx.conversationsOf(tenant, senderIds).stream()
                    .filter(c -> ConversationToken.matches(token, c.id())).findFirst();
        }
        return Optional.empty();
    }

    private static void quarantine(InboxTransaction tx, Channel channel, InboundEvent.MessageReceived m,
                                   Optional<CustomerId> sender, Instant now) {
        String subject = m.thread().subject().map(s -> "Subject: " + s + "\n").orElse("");
        String shown = "From: " + m.account().platformUserId() + "\n" + subject + "\n" + m.content().plainText();
        String reason = REASON_PREFIX + " from " + m.account().platformUserId()
                + " that answers no conversation (kept here instead of opening one)";
        RejectedInput input = new RejectedInput(channel.id(), Optional.of(m.eventId()),
                shown.getBytes(StandardCharsets.UTF_8), reason, now);
        QuarantineEntry q = tx.quarantine(channel.tenant(), input);
        tx.appendEvent(Events.of(channel.tenant(), InboxEvent.Type.INPUT_QUARANTINED, null, null,
                sender.orElse(null), now, "channel", channel.id().value(), "reason", reason,
                "quarantineId", Long.toString(q.id()), "automated", "true"));
    }
}
