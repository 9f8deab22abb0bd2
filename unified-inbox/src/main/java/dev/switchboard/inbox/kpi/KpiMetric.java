package dev.switchboard.inbox.kpi;

/** A KPI duration a {@link KpiDistribution} can be asked of (definitions in {@code docs/kpis.md}). */
public enum KpiMetric {
    /** The first response time of each cycle that had one. */
    FIRST_RESPONSE,
    /** The resolution time of each resolved cycle. */
    RESOLUTION,
    /** Each next-response wait. */
    NEXT_RESPONSE
}
