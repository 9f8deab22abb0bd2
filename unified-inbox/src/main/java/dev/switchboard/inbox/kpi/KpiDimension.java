package dev.switchboard.inbox.kpi;

/** What a KPI summary can be grouped by (besides the period); a cycle without a value falls in the group {@code ""}. */
public enum KpiDimension {
    /** The channel type the customer first wrote on in the cycle ({@code telegram}, {@code email}, ...). */
    CHANNEL_TYPE,
    /** The channel the customer first wrote on in the cycle. */
    CHANNEL,
    /** The agent who handled the cycle: its last assignee, else the author of its first response. */
    AGENT,
    /** The team: the routing queue the cycle last joined. */
    TEAM,
    /** The conversation's priority as the cycle was last updated. */
    PRIORITY,
    /** The SLA policy of the cycle's last SLA event (started, warned, breached); {@code ""} when none applied. */
    SLA_POLICY
}
