package dev.switchboard.inbox.campaign;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import java.time.Instant;
import java.util.Optional;

/**
 * The seam through which campaigns respect a customer's quiet hours: when a message to {@code customer} on
 * {@code type} must not go out at {@code now}, the instant it may. A campaign then defers the recipient (status
 * {@code DEFERRED}) instead of skipping them. Until quiet hours are part of the customer's preferences, the inbox uses
 * {@link #NONE}; internal.
 */
@FunctionalInterface
interface QuietHours {
    /** Quiet hours nowhere. */
    QuietHours NONE = (customer, type, now) -> Optional.empty();

    /** When the message may go out, if not now. */
    Optional<Instant> deferUntil(Customer customer, ChannelType type, Instant now);
}
