-- Durable channel state (dev.switchboard.channel.state.ChannelState), per tenant and channel: records with a version
-- that grows on every write and an optional expiry, and append-only logs numbered from 1 per log name.
-- A state key or log name is at most 200 characters.
CREATE TABLE sb_channel_state (
    tenant      VARCHAR(128) NOT NULL,
    channel     VARCHAR(128) NOT NULL,
    state_key   VARCHAR(200) NOT NULL,
    version     BIGINT NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    body        TEXT NOT NULL,
    PRIMARY KEY (tenant, channel, state_key)
);
CREATE INDEX sb_channel_state_expiry ON sb_channel_state (expires_at);

CREATE TABLE sb_channel_log (
    tenant       VARCHAR(128) NOT NULL,
    channel      VARCHAR(128) NOT NULL,
    log_name     VARCHAR(200) NOT NULL,
    seq          BIGINT NOT NULL,
    appended_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (tenant, channel, log_name, seq)
);

-- The last sequence number of each log: appending locks this row, so appends to one log take turns without retries.
CREATE TABLE sb_channel_log_head (
    tenant    VARCHAR(128) NOT NULL,
    channel   VARCHAR(128) NOT NULL,
    log_name  VARCHAR(200) NOT NULL,
    last_seq  BIGINT NOT NULL,
    PRIMARY KEY (tenant, channel, log_name)
);
