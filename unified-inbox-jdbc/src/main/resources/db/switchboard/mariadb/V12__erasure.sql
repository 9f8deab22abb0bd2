-- Erasure records: one row per customer an erasure was asked for (the proof it was carried out, with no personal
-- data: pseudonymous ids, who asked, when, counts). completed_at is NULL while the erasure is unfinished, so the
-- next start finds interrupted ones with one index range.
CREATE TABLE sb_erasure (
    tenant        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    requested_at  DATETIME(6) NOT NULL,
    completed_at  DATETIME(6),
    actor         VARCHAR(256) NOT NULL,
    customers     LONGTEXT NOT NULL,
    messages      BIGINT NOT NULL,
    media_deleted BIGINT NOT NULL,
    media_kept    BIGINT NOT NULL,
    PRIMARY KEY (tenant, customer_id),
    INDEX sb_erasure_open (completed_at, requested_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
