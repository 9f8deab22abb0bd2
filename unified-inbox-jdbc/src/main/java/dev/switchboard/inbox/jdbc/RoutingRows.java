package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.AvailableAgents;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Routing's rows within one transaction. The capacity check-and-assign locks the agent's row
 * ({@code SELECT ... FOR UPDATE}), so assignments to one agent from every node take turns, and counts the agent's
 * assignments after the lock (read committed: every assignment committed before the lock is seen). Names (languages,
 * skills, teams) are stored comma-separated: {@link Agent} allows no commas in them; per-channel-type capacities as
 * {@code type count} pairs.
 */
final class RoutingRows {
    private final JdbcStatements jdbc;
    private final RoutingSql sql;

    RoutingRows(JdbcStatements jdbc, RoutingSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    // ---- agents -------------------------------------------------------------------------------------------------

    Optional<AgentStatus> agent(TenantId tenant, String agent) {
        return jdbc.queryOne(sql.selectAgent, this::agentRow, tenant.value(), agent);
    }

    List<AgentStatus> agents(TenantId tenant) {
        return jdbc.queryList(sql.selectAgents, this::agentRow, tenant.value());
    }

    void saveAgent(TenantId tenant, AgentStatus s) {
        Agent a = s.agent();
        jdbc.update(sql.upsertAgent, tenant.value(), a.id(), a.displayName(), String.join(",", a.languages()),
                String.join(",", a.skills()), String.join(",", a.teams()), a.capacity(),
                a.channelCapacity().entrySet().stream().map(e -> e.getKey().value() + " " + e.getValue())
                        .collect(Collectors.joining(",")),
                s.presence().name(), s.presenceSince(), s.lastAssignedAt().orElse(null));
    }

    boolean deleteAgent(TenantId tenant, String agent) {
        return jdbc.update(sql.deleteAgent, tenant.value(), agent) > 0;
    }

    private AgentStatus agentRow(ResultSet rs) throws SQLException {
        Map<ChannelType, Integer> perType = new LinkedHashMap<>();
        for (String pair : split(rs.getString(7))) {
            int space = pair.indexOf(' ');
            perType.put(ChannelType.of(pair.substring(0, space)), Integer.parseInt(pair.substring(space + 1)));
        }
        Agent agent = new Agent(rs.getString(1), rs.getString(2), List.copyOf(split(rs.getString(3))),
                split(rs.getString(4)), split(rs.getString(5)), rs.getInt(6), perType);
        return new AgentStatus(agent, Presence.valueOf(rs.getString(8)), jdbc.instant(rs, 9),
                Optional.ofNullable(jdbc.dialect().readInstant(rs, 10)));
    }

    private static Set<String> split(String joined) {
        return joined == null || joined.isEmpty() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(joined.split(",")));
    }

    // ---- assignments --------------------------------------------------------------------------------------------

    AssignOutcome assignWithinCapacity(Assignment a, int capacity, int channelTypeCapacity) {
        String tenant = a.tenant().value();
        if (jdbc.queryOne(sql.lockAgent, rs -> rs.getString(1), tenant, a.agent()).isEmpty()) {
            return AssignOutcome.NO_AGENT;
        }
        if (assignment(a.tenant(), a.conversation()).isPresent()) {
            return AssignOutcome.ALREADY_ASSIGNED;
        }
        int open = 0;
        int ofType = 0;
        for (AgentLoad load : jdbc.queryList(sql.countAssignments, rs -> new AgentLoad(a.agent(),
                ChannelType.of(rs.getString(1)), rs.getInt(2)), tenant, a.agent())) {
            open += load.open();
            if (load.channelType().equals(a.channelType())) {
                ofType += load.open();
            }
        }
        if (open >= capacity || ofType >= channelTypeCapacity) {
            return AssignOutcome.NO_CAPACITY;
        }
        // a racing assignment of the same conversation to another agent makes this insert fail as a duplicate key;
        // the store then runs the transaction again, which finds the conversation assigned
        jdbc.update(sql.insertAssignment, tenant, a.conversation().value(), a.agent(), a.channelType().value(),
                a.assignedAt());
        jdbc.update(sql.deleteQueued, tenant, a.conversation().value());
        jdbc.update(sql.touchAgent, a.assignedAt(), tenant, a.agent());
        return AssignOutcome.ASSIGNED;
    }

    Optional<Assignment> assignment(TenantId tenant, ConversationId conversation) {
        return jdbc.queryOne(sql.selectAssignment, rs -> assignmentRow(tenant, rs), tenant.value(),
                conversation.value());
    }

    List<Assignment> assignments(TenantId tenant, String agent) {
        return jdbc.queryList(sql.selectAssignments, rs -> assignmentRow(tenant, rs), tenant.value(), agent);
    }

    List<AgentLoad> agentLoads(TenantId tenant) {
        return jdbc.queryList(sql.countAllAssignments, rs -> new AgentLoad(rs.getString(1),
                ChannelType.of(rs.getString(2)), rs.getInt(3)), tenant.value());
    }

    /** The online agents with room, from the count kept with the assignments, and the loads of just those. */
    AvailableAgents availableAgents(TenantId tenant) {
        List<AgentStatus> agents = jdbc.queryList(sql.selectAvailableAgents, this::agentRow, tenant.value());
        if (agents.isEmpty()) {
            return new AvailableAgents(List.of(), List.of());
        }
        Map<String, Map<String, Integer>> open = new LinkedHashMap<>();
        jdbc.queryList(jdbc.dialect().perKey(sql.assignmentsOfAgents, agents.stream().map(AgentStatus::id).toList(),
                        tenant.value()), rs -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> open.computeIfAbsent(row[0], k -> new LinkedHashMap<>()).merge(row[1], 1,
                        Integer::sum));
        List<AgentLoad> loads = new java.util.ArrayList<>();
        open.forEach((agent, byType) -> byType.forEach((type, n) -> loads.add(new AgentLoad(agent,
                ChannelType.of(type), n))));
        return new AvailableAgents(agents, loads);
    }

    Optional<Assignment> releaseAssignment(TenantId tenant, ConversationId conversation) {
        Optional<Assignment> held = assignment(tenant, conversation);
        // only the transaction whose delete removed the row released it: a racing release (another node) that read
        // the row before this one committed deletes nothing and reports nothing
        if (held.isEmpty() || jdbc.update(sql.deleteAssignment, tenant.value(), conversation.value()) == 0) {
            return Optional.empty();
        }
        jdbc.update(sql.releasedFromAgent, tenant.value(), held.get().agent());
        return held;
    }

    private Assignment assignmentRow(TenantId tenant, ResultSet rs) throws SQLException {
        return new Assignment(tenant, ConversationId.of(rs.getString(1)), rs.getString(2),
                ChannelType.of(rs.getString(3)), jdbc.instant(rs, 4));
    }

    // ---- the queue ----------------------------------------------------------------------------------------------

    boolean queueConversation(QueuedConversation q) {
        return jdbc.insertIfAbsent(sql.queueTable, RoutingSql.QUEUE_COLUMN_LIST,
                q.tenant().value(), q.conversation().value(), q.customer().value(), q.queue(), rank(q.priority()),
                q.channelType().value(), q.language().orElse(null), String.join(",", q.skills()), q.waitingSince());
    }

    Optional<QueuedConversation> queued(TenantId tenant, ConversationId conversation) {
        return jdbc.queryOne(sql.selectQueued, rs -> queueRow(tenant, rs), tenant.value(), conversation.value());
    }

    boolean dequeueConversation(TenantId tenant, ConversationId conversation) {
        return jdbc.update(sql.deleteQueued, tenant.value(), conversation.value()) > 0;
    }

    List<QueuedConversation> waiting(TenantId tenant, int limit) {
        return jdbc.queryList(sql.selectWaiting, rs -> queueRow(tenant, rs), tenant.value(), limit);
    }

    List<QueuedConversation> waitingAfter(TenantId tenant, QueuedConversation after, int limit) {
        int rank = rank(after.priority());
        return jdbc.queryList(sql.selectWaitingAfter, rs -> queueRow(tenant, rs), tenant.value(), rank, rank,
                after.waitingSince(), after.waitingSince(), after.conversation().value(), limit);
    }

    long waitingCount(TenantId tenant) {
        return jdbc.queryOne(sql.countWaiting, rs -> rs.getLong(1), tenant.value()).orElse(0L);
    }

    private QueuedConversation queueRow(TenantId tenant, ResultSet rs) throws SQLException {
        return new QueuedConversation(tenant, ConversationId.of(rs.getString(1)), CustomerId.of(rs.getString(2)),
                rs.getString(3), priority(rs.getInt(4)), ChannelType.of(rs.getString(5)),
                Optional.ofNullable(rs.getString(6)), split(rs.getString(7)), jdbc.instant(rs, 8));
    }

    /** URGENT 0 ... LOW 3, so an ascending index serves the highest priority first. */
    private static int rank(Priority p) {
        return Priority.values().length - 1 - p.ordinal();
    }

    private static Priority priority(int rank) {
        return Priority.values()[Priority.values().length - 1 - rank];
    }
}
