package dev.switchboard.inbox;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces one platform account across every node that sends for it: a GCRA schedule per channel (its global limit)
 * and per recipient (its per-recipient limit) whose marks live in the store ({@link InboxStore#sharesSendPacing()}).
 * A send reserves its start in one short transaction: the slot is the latest of now and both marks (less a tolerance
 * of at most 10 ms, so a send held up a little is made up for rather than lowering the rate), and each mark moves one
 * emission interval ({@code period / permits}) on, so the sends of all nodes together are evenly spaced at the
 * platform's rate. A slot further away than the caller will wait is not reserved; the caller comes
 * back at that instant. A platform's retry-after pushes the recipient's mark to its end, on every node. Campaign
 * messages leave replies a reserve on busy channels ({@link #reserve(TenantId, ChannelId, Capabilities, String,
 * Duration, boolean)}); the window of the last period (no period holds more than {@code permits} sends) is kept per
 * node only ({@link SendPacer}), not across nodes.
 *
 * <p>Marks are instants of the nodes' clocks: nodes must keep their clocks in sync (NTP); a skew of {@code d} can let
 * two sends follow each other {@code d} too closely. Thread-safe; internal.
 */
final class ClusterSendPacing {
    /** Marks this far in the past hold nothing back and are pruned. */
    private static final Duration STALE = Duration.ofHours(1);
    private static final long PRUNE_EVERY = 10_000;
    /** The mark of a channel's normal sends (replies) and of its campaign messages, next to the mark of all sends. */
    static final String REPLY_SUFFIX = "#replies";
    static final String CAMPAIGN_SUFFIX = "#campaigns";

    private final InboxStore store;
    private final Clock clock;
    private final AtomicLong reservations = new AtomicLong();

    ClusterSendPacing(InboxStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A reserved start instant, or (not reserved) when to ask again. */
    record Slot(boolean reserved, Instant at) {
    }

    /** Whether the channel has any limit to pace (else no reservation is needed). */
    static boolean limited(Capabilities caps) {
        return caps.globalRateLimit().isPresent() || caps.perRecipientRateLimit().isPresent();
    }

    /**
     * Reserves the next start for a send to {@code recipient} on the channel if it is at most {@code maxWait} away;
     * otherwise reserves nothing and says when it would be. Same as a normal send (a reply) of
     * {@link #reserve(TenantId, ChannelId, Capabilities, String, Duration, boolean)}.
     */
    Slot reserve(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, Duration maxWait) {
        return reserve(tenant, channel, caps, recipient, maxWait, false);
    }

    /**
     * Reserves the next start for a send to {@code recipient} on the channel if it is at most {@code maxWait} away;
     * otherwise reserves nothing and says when it would be. On a channel with a reply reserve
     * ({@link SendPacer#replyReserve(RateLimit)}) a {@code lowPriority} send (a campaign's message) follows the mark
     * of all sends and its own slower mark ({@code period / (permits - 1)}), while a normal send (a reply) follows
     * only the mark of the normal sends: a reply takes a start at once between two campaign messages, and moves the
     * mark of all sends on, so the next campaign message waits for it. Without a reserve every send follows the mark
     * of all sends.
     */
    Slot reserve(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, Duration maxWait,
                 boolean lowPriority) {
        Optional<RateLimit> global = caps.globalRateLimit();
        Optional<RateLimit> perRecipient = caps.perRecipientRateLimit();
        boolean reserved = global.map(SendPacer::replyReserve).orElse(0) > 0;
        String globalKey = globalKey(tenant, channel);
        String ownKey = globalKey + (lowPriority ? CAMPAIGN_SUFFIX : REPLY_SUFFIX);
        String recipientKey = recipientKey(tenant, channel, recipient);
        boolean prune = reservations.incrementAndGet() % PRUNE_EVERY == 0;
        return store.inTransaction(tx -> {
            Instant now = clock.instant();
            Optional<Instant> globalMark = global.isPresent() ? tx.sendPaceMark(globalKey) : Optional.empty();
            Optional<Instant> ownMark = reserved ? tx.sendPaceMark(ownKey) : Optional.empty();
            Optional<Instant> recipientMark = perRecipient.isPresent() ? tx.sendPaceMark(recipientKey)
                    : Optional.empty();
            Instant slot = now;
            if (global.isPresent() && (!reserved || lowPriority)) {
                slot = later(slot, globalMark.map(m -> m.minus(tolerance(global.get()))));
            }
            if (reserved) {
                slot = later(slot, ownMark.map(m -> m.minus(tolerance(global.get()))));
            }
            if (perRecipient.isPresent()) {
                slot = later(slot, recipientMark.map(m -> m.minus(tolerance(perRecipient.get()))));
            }
            if (slot.isAfter(now.plus(maxWait))) {
                return new Slot(false, slot);
            }
            if (global.isPresent()) {
                tx.saveSendPaceMark(globalKey, later(slot, globalMark).plus(interval(global.get())));
            }
            if (reserved) {
                RateLimit own = lowPriority ? new RateLimit(global.get().permits() - 1, global.get().period())
                        : global.get();
                tx.saveSendPaceMark(ownKey, later(slot, ownMark).plus(interval(own)));
            }
            if (perRecipient.isPresent()) {
                tx.saveSendPaceMark(recipientKey, later(slot, recipientMark).plus(interval(perRecipient.get())));
            }
            if (prune) {
                tx.pruneSendPaceMarks(now.minus(STALE));
            }
            return new Slot(true, slot);
        });
    }

    /**
     * Holds the recipient's sends on every node until {@code until} (a platform's retry-after), in the caller's
     * transaction.
     */
    void pause(InboxTransaction tx, TenantId tenant, ChannelId channel, String recipient, Instant until) {
        String key = recipientKey(tenant, channel, recipient);
        Optional<Instant> mark = tx.sendPaceMark(key);
        Instant notBefore = until.plusNanos(SendPacer.Gcra.TOLERANCE); // the tolerance must not cut the wait short
        if (mark.isEmpty() || mark.get().isBefore(notBefore)) {
            tx.saveSendPaceMark(key, notBefore);
        }
    }

    /** How early against the even schedule a send may start: at most 10 ms, at most half an interval. */
    static Duration tolerance(RateLimit limit) {
        return Duration.ofNanos(Math.min(SendPacer.Gcra.TOLERANCE, interval(limit).toNanos() / 2));
    }

    static Duration interval(RateLimit limit) {
        return Duration.ofNanos(Math.max(1, limit.period().toNanos() / limit.permits()));
    }

    private static Instant later(Instant a, Optional<Instant> b) {
        return b.filter(x -> x.isAfter(a)).orElse(a);
    }

    static String globalKey(TenantId tenant, ChannelId channel) {
        return tenant.value() + "/" + channel.value();
    }

    static String recipientKey(TenantId tenant, ChannelId channel, String recipient) {
        return tenant.value() + "/" + channel.value() + "/" + recipient;
    }
}
