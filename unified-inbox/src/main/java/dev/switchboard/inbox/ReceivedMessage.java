package dev.switchboard.inbox;

import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import java.util.Objects;

/**
 * An inbound message as a {@link TenantInbox#onMessageReceived} listener gets it: the feed event, the stored message,
 * the customer who wrote it (as they are now, after merges) and the conversation it was threaded into, read together
 * in one transaction so the listener can act (reply, assign, tag) without looking anything up. Immutable.
 */
public record ReceivedMessage(InboxEvent event, Message message, Customer customer, Conversation conversation) {
    public ReceivedMessage {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(conversation, "conversation");
    }

    /** The message's text ({@code content().plainText()}). */
    public String text() {
        return message.content().plainText();
    }
}
