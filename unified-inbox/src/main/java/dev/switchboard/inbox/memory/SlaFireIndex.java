package dev.switchboard.inbox.memory;

import dev.switchboard.inbox.sla.SlaDeadline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The in-memory store's running SLA deadlines in the order the timer fires them (next fire time, conversation, kind,
 * tenant), so that finding the due ones and the next fire time costs a walk over the head of the order rather than a
 * scan and sort of every stored deadline: with 100,000 running deadlines the timer and every evaluation ask for
 * the next fire time. Holds only deadlines with a {@link SlaDeadline#nextFire()}. Not thread-safe: the store touches it
 * under its transaction lock, and undoes changes on rollback through {@link #replace}.
 */
final class SlaFireIndex {
    private static final Comparator<SlaDeadline> FIRE_ORDER = Comparator
            .comparing((SlaDeadline d) -> d.nextFire().orElseThrow())
            .thenComparing(d -> d.conversation().value())
            .thenComparing(SlaDeadline::kind)
            .thenComparing(d -> d.tenant().value());

    private final NavigableSet<SlaDeadline> order = new TreeSet<>(FIRE_ORDER);

    /** Swaps a deadline's stored version: {@code before} (null when new) leaves, {@code after} (or null) enters. */
    void replace(SlaDeadline before, SlaDeadline after) {
        if (before != null && before.nextFire().isPresent()) {
            order.remove(before);
        }
        if (after != null && after.nextFire().isPresent()) {
            order.add(after);
        }
    }

    /** Up to {@code limit} deadlines whose next fire time is not after {@code now}, earliest first. */
    List<SlaDeadline> due(Instant now, int limit) {
        List<SlaDeadline> out = new ArrayList<>();
        for (SlaDeadline d : order) {
            if (out.size() >= limit || d.nextFire().orElseThrow().isAfter(now)) {
                break;
            }
            out.add(d);
        }
        return out;
    }

    /** The earliest next fire time of any running deadline. */
    Optional<Instant> next() {
        return order.isEmpty() ? Optional.empty() : order.first().nextFire();
    }
}
