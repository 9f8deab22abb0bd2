package dev.switchboard.channel;

import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a platform told us, normalised: a message, an edit, a button press, a delivery update, or a change to
 * the account (subscribed, blocked the bot, shared a contact). Every event carries the platform's own event id, which
 * the inbox uses to store a redelivered event exactly once, and the account it concerns.
 */
public sealed interface InboundEvent permits InboundEvent.MessageReceived, InboundEvent.MessageEdited,
        InboundEvent.Postback, InboundEvent.DeliveryUpdate, InboundEvent.AccountUpdate {

    /** The channel that received the event. */
    default ChannelId channel() {
        return account().channel();
    }

    /** The platform's id for this delivery (Telegram update_id, VK event_id, an email's Message-ID): the dedupe key. */
    String eventId();

    /** The customer account the event concerns. */
    ChannelAccount account();

    /** When the platform says it happened. */
    Instant occurredAt();

    /** Evidence about who the account belongs to (verified phone shared, email sender address). */
    List<Evidence> evidence();

    /**
     * The customer wrote to us.
     *
     * @param attributes what else the platform said about how the message came (a deep link's {@code ref} and
     *     {@code ref_source} on VK), as namespaced keys ({@code vk.ref}); empty for most messages. Unverified: a
     *     host-signed value becomes identity evidence only once verified.
     */
    record MessageReceived(String eventId, ChannelAccount account, Instant occurredAt, String platformMessageId,
                           Content content, ThreadHints thread, List<Evidence> evidence, boolean automated,
                           Map<String, String> attributes)
            implements InboundEvent {
        public MessageReceived {
            requireCommon(eventId, account, occurredAt);
            Objects.requireNonNull(platformMessageId, "platformMessageId");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(thread, "thread");
            evidence = List.copyOf(evidence);
            attributes = Map.copyOf(attributes);
        }

        /** A message without attributes. */
        public MessageReceived(String eventId, ChannelAccount account, Instant occurredAt, String platformMessageId,
                               Content content, ThreadHints thread, List<Evidence> evidence, boolean automated) {
            this(eventId, account, occurredAt, platformMessageId, content, thread, evidence, automated, Map.of());
        }

        /** A plain message with no threading hints or evidence. */
        public static MessageReceived of(String eventId, ChannelAccount account, Instant at, String platformMessageId,
                                         Content content) {
            return new MessageReceived(eventId, account, at, platformMessageId, content, ThreadHints.NONE, List.of(),
                    false);
        }
    }

    /** The customer edited an earlier message. */
    record MessageEdited(String eventId, ChannelAccount account, Instant occurredAt, String platformMessageId,
                         Content content) implements InboundEvent {
        public MessageEdited {
            requireCommon(eventId, account, occurredAt);
            Objects.requireNonNull(platformMessageId, "platformMessageId");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public List<Evidence> evidence() {
            return List.of();
        }
    }

    /**
     * The customer pressed a button (or answered a numbered list, once the inbox mapped it back).
     *
     * @param callbackId the platform's id to acknowledge the press with, when it needs one (Telegram callback query)
     */
    record Postback(String eventId, ChannelAccount account, Instant occurredAt, String payload,
                    Optional<String> platformMessageId, Optional<String> callbackId) implements InboundEvent {
        public Postback {
            requireCommon(eventId, account, occurredAt);
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(platformMessageId, "platformMessageId");
            Objects.requireNonNull(callbackId, "callbackId");
        }

        @Override
        public List<Evidence> evidence() {
            return List.of();
        }
    }

    /** The platform reports what happened to a message we sent. */
    record DeliveryUpdate(String eventId, ChannelAccount account, Instant occurredAt, String platformMessageId,
                          DeliveryStatus status, Optional<String> reason) implements InboundEvent {
        public DeliveryUpdate {
            requireCommon(eventId, account, occurredAt);
            Objects.requireNonNull(platformMessageId, "platformMessageId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public List<Evidence> evidence() {
            return List.of();
        }
    }

    /** Something changed about the account itself. */
    record AccountUpdate(String eventId, ChannelAccount account, Instant occurredAt, Kind kind,
                         List<Evidence> evidence) implements InboundEvent {
        /** What changed. */
        public enum Kind { SUBSCRIBED, UNSUBSCRIBED, BLOCKED_US, UNBLOCKED_US, CONTACT_SHARED, PROFILE_UPDATED }

        public AccountUpdate {
            requireCommon(eventId, account, occurredAt);
            Objects.requireNonNull(kind, "kind");
            evidence = List.copyOf(evidence);
        }
    }

    private static void requireCommon(String eventId, ChannelAccount account, Instant occurredAt) {
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.isBlank()) {
            throw new IllegalArgumentException("eventId must not be blank");
        }
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
