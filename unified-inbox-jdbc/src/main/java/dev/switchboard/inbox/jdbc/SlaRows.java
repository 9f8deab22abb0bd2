package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaKind;
import dev.switchboard.inbox.sla.SlaState;
import dev.switchboard.inbox.sla.SlaTransition;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SLA deadlines within one transaction. A warning or breach changes a row only through {@link #transition}, a
 * conditional update on the whole row as read before (state, due time, policy, start, warning and pause times): of
 * racing transactions from any node, the database lets one match and update the row, the others update nothing, so
 * the caller appends the event only when it won. The due rows are read locked ({@link Dialect#lockDueSlaDeadlines}),
 * so a racing node waits for the winner and then sees the row moved on.
 */
final class SlaRows {
    private final JdbcStatements jdbc;
    private final SlaSql sql;

    SlaRows(JdbcStatements jdbc, SlaSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    List<SlaDeadline> ofConversation(TenantId tenant, ConversationId conversation) {
        List<SlaDeadline> rows = new ArrayList<>(jdbc.queryList(sql.selectOfConversation, this::row, tenant.value(),
                conversation.value()));
        rows.sort(java.util.Comparator.comparing(SlaDeadline::kind));
        return rows;
    }

    void save(SlaDeadline d) {
        jdbc.update(sql.upsert, d.tenant().value(), d.conversation().value(), d.kind().name(), d.policy(),
                d.state().name(), d.startedAt(), d.dueAt(), d.warnAt().orElse(null), d.pausedAt().orElse(null),
                d.nextFire().orElse(null));
    }

    /** Inserts the deadline unless its (tenant, conversation, kind) has one; true when this call inserted it. */
    boolean insert(SlaDeadline d) {
        return jdbc.insertIfAbsent(sql.table, SlaSql.COLUMN_LIST, d.tenant().value(), d.conversation().value(),
                d.kind().name(), d.policy(), d.state().name(), d.startedAt(), d.dueAt(), d.warnAt().orElse(null),
                d.pausedAt().orElse(null), d.nextFire().orElse(null));
    }

    List<SlaDeadline> inStates(TenantId tenant, Set<SlaState> states, int limit) {
        if (states.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        List<SlaState> list = List.copyOf(states);
        for (int i = 0; i < 6; i++) {
            args.add(list.get(Math.min(i, list.size() - 1)).name());
        }
        args.add(limit);
        return jdbc.queryList(sql.selectInStates, this::row, args.toArray());
    }

    List<SlaDeadline> due(Instant now, int limit) {
        return jdbc.queryList(sql.selectDue, this::row, now, limit);
    }

    Optional<Instant> nextFire() {
        return jdbc.queryOne(sql.selectNextFire, rs -> Optional.ofNullable(jdbc.dialect().readInstant(rs, 1)))
                .flatMap(o -> o);
    }

    boolean transition(SlaDeadline from, SlaDeadline to) {
        return jdbc.update(sql.transition, transitionArgs(from, to)) == 1;
    }

    private static Object[] transitionArgs(SlaDeadline from, SlaDeadline to) {
        return new Object[] {to.policy(), to.state().name(), to.startedAt(), to.dueAt(), to.warnAt().orElse(null),
                to.pausedAt().orElse(null), to.nextFire().orElse(null), from.tenant().value(),
                from.conversation().value(), from.kind().name(), from.state().name(), from.dueAt(), from.policy(),
                from.startedAt(), from.warnAt().orElse(null), from.pausedAt().orElse(null)};
    }

    /**
     * The conditional updates of a batch as one JDBC batch (one round trip); each row's update count says whether
     * that transition won. Where the driver does not report the counts, the rows run one by one.
     */
    List<Boolean> transitionAll(List<SlaTransition> transitions) {
        if (transitions.size() <= 1) {
            return transitions.stream().map(t -> transition(t.from(), t.to())).toList();
        }
        List<Object[]> rows = new ArrayList<>(transitions.size());
        for (SlaTransition t : transitions) {
            rows.add(transitionArgs(t.from(), t.to()));
        }
        Optional<int[]> counts = jdbc.batchCounts(sql.transition, rows);
        if (counts.isEmpty()) {
            return transitions.stream().map(t -> transition(t.from(), t.to())).toList();
        }
        List<Boolean> changed = new ArrayList<>(transitions.size());
        for (int c : counts.get()) {
            changed.add(c == 1);
        }
        return changed;
    }

    private SlaDeadline row(ResultSet rs) throws SQLException {
        return new SlaDeadline(TenantId.of(rs.getString(1)), ConversationId.of(rs.getString(2)),
                SlaKind.valueOf(rs.getString(3)), rs.getString(4), SlaState.valueOf(rs.getString(5)),
                jdbc.instant(rs, 6), jdbc.instant(rs, 7), Optional.ofNullable(jdbc.dialect().readInstant(rs, 8)),
                Optional.ofNullable(jdbc.dialect().readInstant(rs, 9)));
    }
}
