-- KPI facts: one row per conversation cycle (a conversation's opening, and each reopening), projected from the
-- durable event feed by the KPI projector and aggregated by SQL for KPI summaries (docs/kpis.md). Durations are
-- milliseconds (NULL until the stop event); the flags are 0/1. opened_day/week/month are the opening's day, Monday and
-- first of month in the tenant's zone (yyyy-MM-dd), so a period range is one index range. sb_kpi_checkpoint holds the
-- feed position the facts are projected up to; projectors lock its row while they project a page of events.
CREATE TABLE sb_kpi_fact (
    tenant                 VARCHAR(128) NOT NULL,
    conversation_id        VARCHAR(128) NOT NULL,
    cycle_no               INT NOT NULL,
    customer_id            VARCHAR(128) NOT NULL,
    channel                VARCHAR(128) NOT NULL,
    channel_type           VARCHAR(64) NOT NULL,
    agent                  VARCHAR(256) NOT NULL,
    team                   VARCHAR(256) NOT NULL,
    priority               VARCHAR(16) NOT NULL,
    outcome                VARCHAR(16) NOT NULL,
    opened_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    opened_day             CHAR(10) NOT NULL,
    opened_week            CHAR(10) NOT NULL,
    opened_month           CHAR(10) NOT NULL,
    first_customer_at      TIMESTAMP WITH TIME ZONE,
    awaiting_since         TIMESTAMP WITH TIME ZONE,
    first_response_at      TIMESTAMP WITH TIME ZONE,
    first_response_ms      BIGINT,
    first_response_bus_ms  BIGINT,
    resolved_at            TIMESTAMP WITH TIME ZONE,
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
    PRIMARY KEY (tenant, conversation_id, cycle_no)
);
CREATE INDEX sb_kpi_fact_day ON sb_kpi_fact (tenant, opened_day);
CREATE TABLE sb_kpi_checkpoint (
    id   INT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
INSERT INTO sb_kpi_checkpoint (id, seq) VALUES (1, 0);
