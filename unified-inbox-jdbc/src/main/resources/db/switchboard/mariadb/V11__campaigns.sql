-- Campaigns (opt-in broadcasts): one row per campaign (its message stored whole as JSON in "body") and one per
-- recipient the audience named, keyed by the customer id as named. A recipient becomes QUEUED in the transaction that
-- writes its outbox row (a conditional update on its status, so of nodes racing for it one queues it); the outbox id
-- is derived from tenant, campaign and customer, so it can never be queued twice. resolved_customer is the canonical
-- customer after merges, indexed to find a second entry for the same person (one message per customer).
CREATE TABLE sb_campaign (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    purpose      VARCHAR(256) NOT NULL,
    audience     VARCHAR(512) NOT NULL,
    state        VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    updated_at   DATETIME(6) NOT NULL,
    body         LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    INDEX sb_campaign_state (state, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_campaign_recipient (
    tenant             VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    campaign_id        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    resolved_customer  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    status             VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    not_before         DATETIME(6) NOT NULL,
    channel_id         VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    message_id         VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    skip_reason        VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin,
    detail             VARCHAR(2000),
    updated_at         DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, campaign_id, customer_id),
    INDEX sb_campaign_recipient_due (tenant, campaign_id, status, not_before),
    INDEX sb_campaign_recipient_resolved (tenant, campaign_id, resolved_customer)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
