package dev.switchboard.inbox;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.CustomerId;
import java.util.Objects;

/**
 * Thrown by {@link Inbox#reply} when the customer must not or cannot be written to on the chosen channel: they asked
 * not to be contacted on that channel type, their account there is blocked, they blocked us, or they have no account
 * on that channel. Nothing is stored when this is thrown.
 */
public final class ContactNotAllowedException extends RuntimeException {

    /** Why the reply was refused. */
    public enum Reason {
        /** The customer's preferences say "do not contact me on this channel type". */
        DO_NOT_CONTACT,
        /** The business blocked the customer's account on this channel. */
        ACCOUNT_BLOCKED,
        /** The customer blocked us or unsubscribed on this channel. */
        RECIPIENT_BLOCKED_US,
        /** The customer has no account on this channel. */
        NO_ACCOUNT_ON_CHANNEL,
        /** The platform would bill the message and the reply asked to refuse paid sends. */
        PAID_SEND_REFUSED
    }

    private final Reason reason;
    private final CustomerId customer;
    private final ChannelId channel;

    /** A refusal for {@code reason}; {@code message} names the customer and channel. */
    public ContactNotAllowedException(Reason reason, CustomerId customer, ChannelId channel, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.customer = Objects.requireNonNull(customer, "customer");
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /** Why the reply was refused. */
    public Reason reason() {
        return reason;
    }

    /** The customer the reply was for. */
    public CustomerId customer() {
        return customer;
    }

    /** The channel the reply would have gone through. */
    public ChannelId channel() {
        return channel;
    }
}
