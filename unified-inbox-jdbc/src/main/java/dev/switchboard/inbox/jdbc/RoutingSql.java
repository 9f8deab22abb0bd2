package dev.switchboard.inbox.jdbc;

import java.util.List;

/**
 * The SQL of routing's tables: agents ({@code sb_agent}), the assignments counted against their capacity
 * ({@code sb_assignment}) and the queue of waiting conversations ({@code sb_route_queue}).
 */
final class RoutingSql {
    static final String AGENT_COLUMNS = "agent_id, display_name, languages, skills, teams, capacity, channel_capacity,"
            + " presence, presence_since, last_assigned_at";
    static final List<String> AGENT_COLUMN_LIST = List.of("tenant", "agent_id", "display_name", "languages", "skills",
            "teams", "capacity", "channel_capacity", "presence", "presence_since", "last_assigned_at");
    static final String ASSIGNMENT_COLUMNS = "conversation_id, agent_id, channel_type, assigned_at";
    static final String QUEUE_COLUMNS = "conversation_id, customer_id, queue_name, priority_rank, channel_type,"
            + " language, skills, waiting_since";
    static final List<String> QUEUE_COLUMN_LIST = List.of("tenant", "conversation_id", "customer_id", "queue_name",
            "priority_rank", "channel_type", "language", "skills", "waiting_since");

    final String upsertAgent;
    final String selectAgent;
    final String selectAgents;
    final String lockAgent;
    final String deleteAgent;
    final String touchAgent;
    final String releasedFromAgent;
    final String selectAvailableAgents;
    final Dialect.KeyLookup assignmentsOfAgents;
    final String selectAssignment;
    final String selectAssignments;
    final String countAssignments;
    final String countAllAssignments;
    final String insertAssignment;
    final String deleteAssignment;
    final String queueTable;
    final String selectQueued;
    final String deleteQueued;
    final String selectWaiting;
    final String selectWaitingAfter;
    final String countWaiting;

    RoutingSql(String prefix, Dialect dialect) {
        String agents = prefix + "sb_agent";
        String assignments = prefix + "sb_assignment";
        String queue = prefix + "sb_route_queue";
        upsertAgent = dialect.upsert(agents, AGENT_COLUMN_LIST, List.of("tenant", "agent_id"));
        selectAgent = "SELECT " + AGENT_COLUMNS + " FROM " + agents + " WHERE tenant = ? AND agent_id = ?";
        selectAgents = "SELECT " + AGENT_COLUMNS + " FROM " + agents + " WHERE tenant = ? ORDER BY agent_id";
        lockAgent = "SELECT agent_id FROM " + agents + " WHERE tenant = ? AND agent_id = ? FOR UPDATE";
        deleteAgent = "DELETE FROM " + agents + " WHERE tenant = ? AND agent_id = ?";
        // open_count (V13) moves with every assignment and release, so the online agents with room are one filter
        touchAgent = "UPDATE " + agents + " SET last_assigned_at = ?, open_count = open_count + 1"
                + " WHERE tenant = ? AND agent_id = ?";
        releasedFromAgent = "UPDATE " + agents + " SET open_count = open_count - 1 WHERE tenant = ? AND agent_id = ?";
        selectAvailableAgents = "SELECT " + AGENT_COLUMNS + " FROM " + agents
                + " WHERE tenant = ? AND presence = 'ONLINE' AND open_count < capacity ORDER BY agent_id";
        // one index lookup per agent with room: a join planned on young tables (no statistics yet) scanned every
        // assignment once per agent
        assignmentsOfAgents = new Dialect.KeyLookup("s.agent_id, s.channel_type", assignments + " s", "",
                "s.tenant = ?", List.of("s.agent_id"), "");
        selectAssignment = "SELECT " + ASSIGNMENT_COLUMNS + " FROM " + assignments
                + " WHERE tenant = ? AND conversation_id = ?";
        selectAssignments = "SELECT " + ASSIGNMENT_COLUMNS + " FROM " + assignments
                + " WHERE tenant = ? AND agent_id = ? ORDER BY assigned_at, conversation_id";
        countAssignments = "SELECT channel_type, COUNT(*) FROM " + assignments
                + " WHERE tenant = ? AND agent_id = ? GROUP BY channel_type";
        countAllAssignments = "SELECT agent_id, channel_type, COUNT(*) FROM " + assignments
                + " WHERE tenant = ? GROUP BY agent_id, channel_type";
        insertAssignment = Dialect.insert(assignments, List.of("tenant", "conversation_id", "agent_id",
                "channel_type", "assigned_at"));
        deleteAssignment = "DELETE FROM " + assignments + " WHERE tenant = ? AND conversation_id = ?";
        queueTable = queue;
        selectQueued = "SELECT " + QUEUE_COLUMNS + " FROM " + queue + " WHERE tenant = ? AND conversation_id = ?";
        deleteQueued = "DELETE FROM " + queue + " WHERE tenant = ? AND conversation_id = ?";
        selectWaiting = "SELECT " + QUEUE_COLUMNS + " FROM " + queue
                + " WHERE tenant = ? ORDER BY priority_rank, waiting_since, conversation_id LIMIT ?";
        // keyset paging in the index's order: the page after a row, whatever the queue's length
        selectWaitingAfter = "SELECT " + QUEUE_COLUMNS + " FROM " + queue + " WHERE tenant = ? AND (priority_rank > ?"
                + " OR priority_rank = ? AND (waiting_since > ? OR waiting_since = ? AND conversation_id > ?))"
                + " ORDER BY priority_rank, waiting_since, conversation_id LIMIT ?";
        countWaiting = "SELECT COUNT(*) FROM " + queue + " WHERE tenant = ?";
    }
}
