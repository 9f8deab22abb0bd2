package dev.switchboard.model;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A daily window, in the customer's own time zone, during which they do not want proactive messages (campaigns,
 * notifications), e.g. 22:00 to 08:00 in {@code Europe/Moscow}. A window whose end is before its start runs over
 * midnight; start equal to end means no quiet time at all. Quiet hours never hold back a reply to a customer who just
 * wrote: they are for messages the business starts. Immutable and thread-safe.
 *
 * @param from the local time the quiet window starts (inclusive)
 * @param to the local time it ends (exclusive)
 * @param zone the customer's time zone
 */
public record QuietHours(LocalTime from, LocalTime to, ZoneId zone) {
    /** Checks that no component is null. */
    public QuietHours {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
    }

    /** Whether {@code instant} falls inside the window, read on the customer's local clock. */
    public boolean contains(Instant instant) {
        LocalTime local = instant.atZone(zone).toLocalTime();
        if (from.equals(to)) {
            return false;
        }
        if (from.isBefore(to)) {
            return !local.isBefore(from) && local.isBefore(to);
        }
        return !local.isBefore(from) || local.isBefore(to); // runs over midnight
    }

    /**
     * When the quiet window containing {@code instant} ends: the next {@code to} on the customer's local clock (on a
     * day the clock skips that time, the instant the jump lands on). {@code instant} itself when it is not quiet.
     */
    public Instant endAfter(Instant instant) {
        if (!contains(instant)) {
            return instant;
        }
        java.time.ZonedDateTime local = instant.atZone(zone);
        java.time.ZonedDateTime end = local.toLocalDate().atTime(to).atZone(zone);
        return (end.isAfter(local) ? end : local.toLocalDate().plusDays(1).atTime(to).atZone(zone)).toInstant();
    }
}
