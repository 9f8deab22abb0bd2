package dev.switchboard.inbox.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a drain round needs to know about agents: the tenant's online agents who have room for at least one more
 * conversation (fewer open conversations than their overall capacity), by id, and the open conversations of exactly
 * those agents per channel type. A store answers it in one read (the JDBC store from a per-agent count it keeps with
 * the assignments), so a round does not read every agent and every assignment of the tenant when few have room.
 * Immutable.
 *
 * @param agents the online agents with room, by id
 * @param loads their open conversations per channel type (agents with none are left out)
 */
public record AvailableAgents(List<AgentStatus> agents, List<AgentLoad> loads) {

    /** Copies the lists. */
    public AvailableAgents {
        agents = List.copyOf(Objects.requireNonNull(agents, "agents"));
        loads = List.copyOf(Objects.requireNonNull(loads, "loads"));
    }

    /**
     * Derives the answer from every agent and every agent's load, as the SPI's default does for stores that keep no
     * per-agent count.
     */
    public static AvailableAgents of(List<AgentStatus> allAgents, List<AgentLoad> allLoads) {
        Map<String, Integer> open = new java.util.HashMap<>();
        allLoads.forEach(l -> open.merge(l.agent(), l.open(), Integer::sum));
        List<AgentStatus> withRoom = allAgents.stream().filter(a -> a.presence() == Presence.ONLINE
                && open.getOrDefault(a.id(), 0) < a.agent().capacity()).toList();
        java.util.Set<String> ids = new java.util.HashSet<>();
        withRoom.forEach(a -> ids.add(a.id()));
        return new AvailableAgents(withRoom, allLoads.stream().filter(l -> ids.contains(l.agent())).toList());
    }
}
