-- Campaigns (opt-in broadcasts): one row per campaign (its message stored whole as JSON in "body") and one per
-- recipient the audience named, keyed by the customer id as named. A recipient becomes QUEUED in the transaction that
-- writes its outbox row (a conditional update on its status, so of nodes racing for it one queues it); the outbox id
-- is derived from tenant, campaign and customer, so it can never be queued twice. resolved_customer is the canonical
-- customer after merges, indexed to find a second entry for the same person (one message per customer).
CREATE TABLE sb_campaign (
    tenant       VARCHAR(128) NOT NULL,
    id           VARCHAR(128) NOT NULL,
    purpose      VARCHAR(256) NOT NULL,
    audience     VARCHAR(512) NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    body         CHARACTER LARGE OBJECT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX sb_campaign_state ON sb_campaign (state, created_at);

CREATE TABLE sb_campaign_recipient (
    tenant             VARCHAR(128) NOT NULL,
    campaign_id        VARCHAR(128) NOT NULL,
    customer_id        VARCHAR(128) NOT NULL,
    resolved_customer  VARCHAR(128),
    status             VARCHAR(16)  NOT NULL,
    not_before         TIMESTAMP WITH TIME ZONE NOT NULL,
    channel_id         VARCHAR(128),
    message_id         VARCHAR(128),
    skip_reason        VARCHAR(32),
    detail             VARCHAR(2000),
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, campaign_id, customer_id)
);
CREATE INDEX sb_campaign_recipient_due ON sb_campaign_recipient (tenant, campaign_id, status, not_before);
CREATE INDEX sb_campaign_recipient_resolved ON sb_campaign_recipient (tenant, campaign_id, resolved_customer);
