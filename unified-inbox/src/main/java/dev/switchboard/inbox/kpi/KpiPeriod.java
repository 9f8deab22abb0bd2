package dev.switchboard.inbox.kpi;

/** The periods a KPI summary can be broken down into, in the tenant's time zone (its default calendar's zone). */
public enum KpiPeriod {
    /** Calendar days; the key is the day ({@code 2026-03-02}). */
    DAY,
    /** ISO weeks from Monday; the key is the Monday ({@code 2026-03-02}). */
    WEEK,
    /** Calendar months; the key is the first day ({@code 2026-03-01}). */
    MONTH
}
