package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaState;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON shape of an SLA deadline in the REST API ({@code SlaDeadline} in {@code docs/openapi.yaml}), and which of
 * a conversation's deadlines a console counts down to. Stateless.
 */
final class SlaViews {
    /** The states a countdown shows: running, warned (at risk) and breached (not answered since). */
    private static final Set<SlaState> PENDING = EnumSet.of(SlaState.RUNNING, SlaState.WARNED, SlaState.BREACHED);

    private SlaViews() {
    }

    /**
     * The deadline a console counts down to: of the running, warned and breached ones, the earliest due; empty when
     * every deadline is met or paused (or there is none).
     */
    static Optional<SlaDeadline> next(List<SlaDeadline> deadlines) {
        return deadlines.stream().filter(d -> PENDING.contains(d.state()))
                .min(Comparator.comparing(SlaDeadline::dueAt));
    }

    /**
     * One deadline with {@code secondsLeft} at {@code now} (negative once overdue), so a client whose clock is off
     * still counts down correctly from the server's {@code now}.
     */
    static ObjectNode deadline(SlaDeadline d, Instant now) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", JsonViews.lower(d.kind()));
        n.put("policy", d.policy());
        n.put("state", JsonViews.lower(d.state()));
        n.put("startedAt", d.startedAt().toString());
        n.put("dueAt", d.dueAt().toString());
        d.warnAt().ifPresent(v -> n.put("warnAt", v.toString()));
        d.pausedAt().ifPresent(v -> n.put("pausedAt", v.toString()));
        n.put("secondsLeft", Math.floorDiv(Duration.between(now, d.dueAt()).toMillis(), 1000));
        return n;
    }
}
