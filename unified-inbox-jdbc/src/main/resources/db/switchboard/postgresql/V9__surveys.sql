-- Satisfaction surveys, complaint marks and canned responses. A survey row is written in the transaction that resolves
-- its conversation and queues its message; its rating and comment in the transaction that stores the customer's
-- answer, so every node finds the survey an answer belongs to (by customer, newest first). A complaint is one row per
-- conversation (marked 0/1, the agent it is attributed to, what set it). Canned responses are keyed by their short
-- code; attachments are stored one per line as URL-encoded "url mime name".
CREATE TABLE sb_survey (
    tenant           VARCHAR(128) NOT NULL,
    survey_id        VARCHAR(64)  NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    customer_id      VARCHAR(128) NOT NULL,
    channel_id       VARCHAR(128) NOT NULL,
    agent_id         VARCHAR(256),
    message_id       VARCHAR(128) NOT NULL,
    sent_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    answer_until     TIMESTAMP WITH TIME ZONE NOT NULL,
    rating           SMALLINT,
    rated_at         TIMESTAMP WITH TIME ZONE,
    comment_text     TEXT,
    PRIMARY KEY (tenant, survey_id)
);
CREATE INDEX sb_survey_customer ON sb_survey (tenant, customer_id, sent_at);
CREATE INDEX sb_survey_conversation ON sb_survey (tenant, conversation_id, sent_at);

CREATE TABLE sb_complaint (
    tenant           VARCHAR(128) NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    marked           SMALLINT     NOT NULL,
    agent_id         VARCHAR(256),
    source           VARCHAR(16)  NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
);

CREATE TABLE sb_canned_response (
    tenant           VARCHAR(128) NOT NULL,
    code             VARCHAR(64)  NOT NULL,
    title            VARCHAR(512) NOT NULL,
    body             TEXT         NOT NULL,
    team             VARCHAR(256),
    channel_type     VARCHAR(128),
    attachments      TEXT         NOT NULL,
    PRIMARY KEY (tenant, code)
);
