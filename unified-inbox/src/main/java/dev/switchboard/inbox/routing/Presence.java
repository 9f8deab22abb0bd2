package dev.switchboard.inbox.routing;

/**
 * Whether an agent takes conversations now: only {@link #ONLINE} agents are assigned new ones; an {@link #AWAY} agent
 * keeps what they have; an {@link #OFFLINE} agent's unanswered conversations go back to the queue after the tenant's
 * grace period ({@link RoutingSettings#offlineGrace()}).
 */
public enum Presence { ONLINE, AWAY, OFFLINE }
