package dev.switchboard.inbox.kpi;

/** Which clock the durations of a KPI summary count in. */
public enum TimeBasis {
    /** Elapsed wall-clock time. */
    CALENDAR,
    /** Only the open hours of the conversation's business calendar ({@code BusinessCalendar.businessDuration}). */
    BUSINESS
}
