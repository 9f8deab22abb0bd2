package dev.switchboard.inbox.campaign;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import java.time.Instant;
import java.util.Optional;

/**
 * The seam through which campaigns respect a customer's quiet hours: when a message to {@code customer} on
 * {@code type} must not go out at {@code now}, the instant it may. A campaign then defers the recipient (status
 * {@code DEFERRED}) instead of skipping them. The inbox uses the customer's
 * preferences ({@link #PREFERENCES}); internal.
 */
@FunctionalInterface
interface QuietHoursDeferral {
    /** Quiet hours nowhere. */
    QuietHoursDeferral NONE = (customer, type, now) -> Optional.empty();

    /** The customer's own quiet hours ({@code Preferences.quietHours}): deferred to the end of the window. */
    QuietHoursDeferral PREFERENCES = (customer, type, now) -> customer.preferences().quietHours()
            .filter(q -> q.contains(now)).map(q -> q.endAfter(now));

    /** When the message may go out, if not now. */
    Optional<Instant> deferUntil(Customer customer, ChannelType type, Instant now);
}
