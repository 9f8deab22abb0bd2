-- KPI facts: one row per conversation cycle (a conversation's opening, and each reopening), projected from the
-- durable event feed by the KPI projector and aggregated by SQL for KPI summaries (docs/kpis.md). Durations are
-- milliseconds (NULL until the stop event); the flags are 0/1. opened_day/week/month are the opening's day, Monday and
-- first of month in the tenant's zone (yyyy-MM-dd), so a period range is one index range. sb_kpi_checkpoint holds the
-- feed position the facts are projected up to; projectors lock its row while they project a page of events.
CREATE TABLE sb_kpi_fact (
    tenant                 VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    cycle_no               INT NOT NULL,
    customer_id            VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel                VARCHAR(128) NOT NULL,
    channel_type           VARCHAR(64) NOT NULL,
    agent                  VARCHAR(256) NOT NULL,
    team                   VARCHAR(256) NOT NULL,
    priority               VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    outcome                VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_at              DATETIME(6) NOT NULL,
    opened_day             CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_week            CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_month           CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    first_customer_at      DATETIME(6),
    awaiting_since         DATETIME(6),
    first_response_at      DATETIME(6),
    first_response_ms      BIGINT,
    first_response_bus_ms  BIGINT,
    resolved_at            DATETIME(6),
    resolution_ms          BIGINT,
    resolution_bus_ms      BIGINT,
    messages_in            INT NOT NULL,
    messages_out           INT NOT NULL,
    next_responses         INT NOT NULL,
    next_response_ms       BIGINT NOT NULL,
    next_response_bus_ms   BIGINT NOT NULL,
    rating                 SMALLINT,
    surveyed               SMALLINT NOT NULL,
    complaint              SMALLINT NOT NULL,
    fr_breached            SMALLINT NOT NULL,
    res_breached           SMALLINT NOT NULL,
    nr_breaches            INT NOT NULL,
    sla_policy             VARCHAR(256) NOT NULL,
    PRIMARY KEY (tenant, conversation_id, cycle_no),
    INDEX sb_kpi_fact_day (tenant, opened_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE TABLE sb_kpi_checkpoint (
    id   INT PRIMARY KEY,
    seq  BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO sb_kpi_checkpoint (id, seq) VALUES (1, 0);
