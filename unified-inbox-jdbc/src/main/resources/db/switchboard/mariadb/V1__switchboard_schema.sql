-- Switchboard inbox schema, MariaDB 10.6+ / MySQL 8 (InnoDB). Applied by JdbcInboxStore (Flyway, history table
-- switchboard_schema_history) unless the host switched auto-migration off and applies this file itself.
-- Aggregates are stored whole as JSON text in "body"; everything the store queries or keeps unique is a column.
--
-- Character sets: text is utf8mb4 with the binary collation utf8mb4_bin (every Unicode character including 4-byte
-- ones such as emoji, compared exactly: "Abc" and "abc" are different platform ids). Identifiers the model restricts to
-- [A-Za-z0-9_.:@+=-] (tenant, channel, customer, conversation, message ids) and enum names are ascii_bin: one byte per
-- character keeps the composite keys within InnoDB's 3,072-byte index limit. Timestamps are DATETIME(6) in UTC.

CREATE TABLE sb_customer (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    merged_into  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    updated_at   DATETIME(6) NOT NULL,
    body         LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

-- An account key is owned by one customer per tenant.
CREATE TABLE sb_account (
    tenant            VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    platform_user_id  VARCHAR(512) NOT NULL,
    customer_id       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, channel, platform_user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_account_customer ON sb_account (tenant, customer_id);

CREATE TABLE sb_contact (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind         VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    point        VARCHAR(512) NOT NULL,
    customer_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, kind, point, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_contact_customer ON sb_contact (tenant, customer_id);

CREATE TABLE sb_name_key (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name_key     VARCHAR(256) NOT NULL,
    customer_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, name_key, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_name_key_customer ON sb_name_key (tenant, customer_id);

-- ord is the merge log order.
CREATE TABLE sb_merge (
    ord        BIGINT NOT NULL AUTO_INCREMENT,
    tenant     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id         VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    survivor   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    absorbed   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    merged_at  DATETIME(6) NOT NULL,
    body       LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    UNIQUE KEY sb_merge_ord (ord)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_merge_survivor ON sb_merge (tenant, survivor);
CREATE INDEX sb_merge_absorbed ON sb_merge (tenant, absorbed);

CREATE TABLE sb_suggestion (
    tenant      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id          VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    first_id    VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    second_id   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status      VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    score       DOUBLE NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    body        LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_suggestion_first ON sb_suggestion (tenant, first_id);
CREATE INDEX sb_suggestion_second ON sb_suggestion (tenant, second_id);
CREATE INDEX sb_suggestion_open ON sb_suggestion (tenant, status, score);

-- Pairs known to be different people, stored with a < b.
CREATE TABLE sb_distinct (
    tenant  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    a       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    b       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, a, b)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_ambiguous_contact (
    tenant  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind    VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    point   VARCHAR(512) NOT NULL,
    PRIMARY KEY (tenant, kind, point)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_conversation (
    tenant       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status       VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    assignee     VARCHAR(256),
    channel      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    updated_at   DATETIME(6) NOT NULL,
    body         LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_conversation_activity ON sb_conversation (tenant, updated_at, id);
CREATE INDEX sb_conversation_customer ON sb_conversation (tenant, customer_id);

-- ord is the order messages were stored in (timelines); platform ids are unique per tenant, channel and direction.
CREATE TABLE sb_message (
    ord                  BIGINT NOT NULL AUTO_INCREMENT,
    tenant               VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id                   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id          VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel              VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    direction            VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    platform_message_id  VARCHAR(512),
    body                 LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    UNIQUE KEY sb_message_ord (ord),
    CONSTRAINT sb_message_platform_id UNIQUE (tenant, channel, platform_message_id, direction)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_message_conversation ON sb_message (tenant, conversation_id, ord);
CREATE INDEX sb_message_customer ON sb_message (tenant, customer_id, ord);

-- Dedupe of platform events: a retried event finds its row here.
CREATE TABLE sb_processed_event (
    tenant        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    event_id      VARCHAR(512) NOT NULL,
    processed_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, channel, event_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_outbox (
    id               VARCHAR(300) NOT NULL PRIMARY KEY,
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status           VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  DATETIME(6) NOT NULL,
    last_error       MEDIUMTEXT,
    lease_owner      VARCHAR(256),
    lease_until      DATETIME(6),
    created_at       DATETIME(6) NOT NULL,
    updated_at       DATETIME(6) NOT NULL,
    message          LONGTEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_outbox_due ON sb_outbox (status, next_attempt_at);

-- The event feed. seq is taken from sb_event_counter inside the appending transaction; the counter row stays locked
-- until that transaction ends, so sequence numbers become visible strictly in order (no gaps seen by readers).
CREATE TABLE sb_event (
    seq              BIGINT NOT NULL PRIMARY KEY,
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    message_id       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    customer_id      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    attributes       LONGTEXT NOT NULL,
    occurred_at      DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_event_tenant ON sb_event (tenant, seq);

CREATE TABLE sb_event_counter (
    id   INTEGER NOT NULL PRIMARY KEY,
    seq  BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO sb_event_counter (id, seq) VALUES (1, 0);

CREATE TABLE sb_quarantine (
    id                 BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tenant             VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel            VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    platform_event_id  VARCHAR(512),
    raw                LONGBLOB NOT NULL,
    reason             MEDIUMTEXT NOT NULL,
    received_at        DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_quarantine_tenant ON sb_quarantine (tenant, id);

CREATE TABLE sb_choice_map (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    body             LONGTEXT NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

-- Leases of polling channels where the database has no session locks (H2); unused on MariaDB and MySQL, which lease
-- with GET_LOCK. Kept so every database has the same tables.
CREATE TABLE sb_lease (
    name        VARCHAR(256) NOT NULL PRIMARY KEY,
    owner       VARCHAR(256) NOT NULL,
    token       VARCHAR(64)  NOT NULL,
    expires_at  DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
