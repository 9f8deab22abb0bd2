-- KPI next-response waits and SLA clocks (docs/kpis.md). sb_kpi_wait keeps each next-response wait of a conversation
-- cycle (a customer message after a person's reply until the next person's reply) with its cycle's group and period
-- keys, so the median and p90 of next-response times are SQL aggregates like the other durations. fr_sla/res_sla
-- (0/1) say whether a first-response/resolution SLA clock started in the cycle (SLA_STARTED): SLA attainment counts
-- only those cycles. The facts are projected again from the event feed (checkpoint back to 0) so every cycle gets its
-- waits: the first KPI summary after this migration re-projects the whole feed, with the calendars set then.
CREATE TABLE sb_kpi_wait (
    tenant                 VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    cycle_no               INT NOT NULL,
    wait_no                INT NOT NULL,
    waiting_since          DATETIME(6) NOT NULL,
    answered_at            DATETIME(6) NOT NULL,
    wait_ms                BIGINT NOT NULL,
    wait_bus_ms            BIGINT NOT NULL,
    channel                VARCHAR(128) NOT NULL,
    channel_type           VARCHAR(64) NOT NULL,
    agent                  VARCHAR(256) NOT NULL,
    team                   VARCHAR(256) NOT NULL,
    priority               VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sla_policy             VARCHAR(256) NOT NULL,
    opened_day             CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_week            CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_month           CHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, conversation_id, cycle_no, wait_no),
    INDEX sb_kpi_wait_day (tenant, opened_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
ALTER TABLE sb_kpi_fact ADD COLUMN fr_sla SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE sb_kpi_fact ADD COLUMN res_sla SMALLINT NOT NULL DEFAULT 0;
DELETE FROM sb_kpi_fact;
UPDATE sb_kpi_checkpoint SET seq = 0;
