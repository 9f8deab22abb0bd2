package dev.switchboard.inbox.sla;

/**
 * Where a stored deadline stands: its clock runs (RUNNING, or WARNED once its warning was published), stands still
 * while the conversation waits for the customer (PAUSED), was kept (MET), was broken (BREACHED), was kept late
 * (MET_LATE: answered after the breach), or ended because a merge folded its conversation into the customer's other
 * one (MERGED: the wait carries on there, counted from its earlier start).
 */
public enum SlaState {
    RUNNING, WARNED, PAUSED, MET, BREACHED, MET_LATE, MERGED;

    /** Whether the clock of a deadline in this state may still fire a warning or a breach. */
    public boolean active() {
        return this == RUNNING || this == WARNED;
    }

    /** Whether the promise is settled (nothing can change it any more but a new start). */
    public boolean settled() {
        return this == MET || this == MET_LATE || this == MERGED;
    }
}
