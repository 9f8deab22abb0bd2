-- SLA deadlines: one row per conversation and kind (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION) with the policy that
-- set it, its state and times. next_fire_at is the time the timer must look at a running deadline (its warning, then
-- its due time; NULL when it does not run), so every node finds the due ones with one index range. A warning or
-- breach is a conditional update (WHERE state = ? AND due_at = ?) in the transaction that appends its event, so
-- nodes racing for it publish it once.
CREATE TABLE sb_sla_deadline (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind             VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    policy           VARCHAR(256) NOT NULL,
    state            VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    started_at       DATETIME(6) NOT NULL,
    due_at           DATETIME(6) NOT NULL,
    warn_at          DATETIME(6),
    paused_at        DATETIME(6),
    next_fire_at     DATETIME(6),
    PRIMARY KEY (tenant, conversation_id, kind),
    INDEX sb_sla_deadline_fire (next_fire_at),
    INDEX sb_sla_deadline_state (tenant, state, due_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
