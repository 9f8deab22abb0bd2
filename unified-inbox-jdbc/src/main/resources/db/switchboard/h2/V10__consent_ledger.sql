-- The consent ledger: one row per consent decision (granted or withdrawn) of a customer for a purpose, optionally
-- limited to a channel type and recorded through an account, with its source and evidence (a message id, a button
-- payload, a web form id with the version of the consent text, a platform event). Append-only: rows are never
-- updated or deleted by the library. Entries through an account are found by the account (they follow it through
-- merges and unmerges), the others by the customer they were recorded for.
CREATE TABLE sb_consent_entry (
    tenant                 VARCHAR(128) NOT NULL,
    entry_id               VARCHAR(128) NOT NULL,
    customer_id            VARCHAR(128) NOT NULL,
    account_channel        VARCHAR(128),
    account_user           VARCHAR(512),
    purpose                VARCHAR(128) NOT NULL,
    channel_type           VARCHAR(64),
    granted                SMALLINT     NOT NULL,
    recorded_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    source                 VARCHAR(128) NOT NULL,
    evidence_kind          VARCHAR(32)  NOT NULL,
    evidence_ref           VARCHAR(1024) NOT NULL,
    evidence_text_version  VARCHAR(256),
    PRIMARY KEY (tenant, entry_id)
);
CREATE INDEX sb_consent_entry_customer ON sb_consent_entry (tenant, customer_id);
CREATE INDEX sb_consent_entry_account ON sb_consent_entry (tenant, account_channel, account_user);
