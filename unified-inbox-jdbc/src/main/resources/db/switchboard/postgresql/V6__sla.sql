-- SLA deadlines: one row per conversation and kind (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION) with the policy that
-- set it, its state and times. next_fire_at is the time the timer must look at a running deadline (its warning, then
-- its due time; NULL when it does not run), so every node finds the due ones with one index range. A warning or
-- breach is a conditional update (WHERE state = ? AND due_at = ?) in the transaction that appends its event, so
-- nodes racing for it publish it once.
CREATE TABLE sb_sla_deadline (
    tenant           VARCHAR(128) NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    kind             VARCHAR(32)  NOT NULL,
    policy           VARCHAR(256) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    warn_at          TIMESTAMP WITH TIME ZONE,
    paused_at        TIMESTAMP WITH TIME ZONE,
    next_fire_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (tenant, conversation_id, kind)
);
CREATE INDEX sb_sla_deadline_fire ON sb_sla_deadline (next_fire_at);
CREATE INDEX sb_sla_deadline_state ON sb_sla_deadline (tenant, state, due_at);
