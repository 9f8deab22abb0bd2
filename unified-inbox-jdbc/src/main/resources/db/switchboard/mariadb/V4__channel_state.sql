-- Durable channel state (dev.switchboard.channel.state.ChannelState), per tenant and channel: records with a version
-- that grows on every write and an optional expiry, and append-only logs numbered from 1 per log name.
-- A state key or log name is at most 200 characters (utf8mb4_bin: 800 bytes, so the keys fit InnoDB's index limit).
CREATE TABLE sb_channel_state (
    tenant      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state_key   VARCHAR(200) NOT NULL,
    version     BIGINT NOT NULL,
    expires_at  DATETIME(6),
    body        LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, channel, state_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_channel_state_expiry ON sb_channel_state (expires_at);

CREATE TABLE sb_channel_log (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    log_name     VARCHAR(200) NOT NULL,
    seq          BIGINT NOT NULL,
    appended_at  DATETIME(6) NOT NULL,
    body         LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, channel, log_name, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

-- The last sequence number of each log: appending locks this row, so appends to one log take turns without retries.
CREATE TABLE sb_channel_log_head (
    tenant    VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    log_name  VARCHAR(200) NOT NULL,
    last_seq  BIGINT NOT NULL,
    PRIMARY KEY (tenant, channel, log_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
