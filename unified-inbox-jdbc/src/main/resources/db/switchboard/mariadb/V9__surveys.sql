-- Satisfaction surveys, complaint marks and canned responses. A survey row is written in the transaction that resolves
-- its conversation and queues its message; its rating and comment in the transaction that stores the customer's
-- answer, so every node finds the survey an answer belongs to (by customer, newest first). A complaint is one row per
-- conversation (marked 0/1, the agent it is attributed to, what set it). Canned responses are keyed by their short
-- code; attachments are stored one per line as URL-encoded "url mime name".
CREATE TABLE sb_survey (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    survey_id        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel_id       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    agent_id         VARCHAR(256),
    message_id       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sent_at          DATETIME(6) NOT NULL,
    answer_until     DATETIME(6) NOT NULL,
    rating           SMALLINT,
    rated_at         DATETIME(6),
    comment_text     TEXT,
    PRIMARY KEY (tenant, survey_id),
    INDEX sb_survey_customer (tenant, customer_id, sent_at),
    INDEX sb_survey_conversation (tenant, conversation_id, sent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_complaint (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    marked           SMALLINT     NOT NULL,
    agent_id         VARCHAR(256),
    source           VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL,
    changed_at       DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_canned_response (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    code             VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL,
    title            VARCHAR(512) NOT NULL,
    body             TEXT         NOT NULL,
    team             VARCHAR(256),
    channel_type     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
    attachments      TEXT         NOT NULL,
    PRIMARY KEY (tenant, code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
