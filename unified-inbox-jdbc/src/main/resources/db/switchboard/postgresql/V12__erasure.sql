-- Erasure records: one row per customer an erasure was asked for (the proof it was carried out, with no personal
-- data: pseudonymous ids, who asked, when, counts). completed_at is NULL while the erasure is unfinished, so the
-- next start finds interrupted ones with one index range.
CREATE TABLE sb_erasure (
    tenant        VARCHAR(128) NOT NULL,
    customer_id   VARCHAR(128) NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at  TIMESTAMP WITH TIME ZONE,
    actor         VARCHAR(256) NOT NULL,
    customers     TEXT NOT NULL,
    messages      BIGINT NOT NULL,
    media_deleted BIGINT NOT NULL,
    media_kept    BIGINT NOT NULL,
    PRIMARY KEY (tenant, customer_id)
);
CREATE INDEX sb_erasure_open ON sb_erasure (completed_at, requested_at);
