-- Routing: agents per tenant (settings, presence, last assignment), the open conversations counted against each
-- agent's capacity, and the queue of conversations waiting for an agent. Assigning locks the agent's row
-- (SELECT ... FOR UPDATE) and counts its assignments (READ COMMITTED), so nodes assigning to one agent take turns and
-- never exceed its capacity; an assignment's primary key keeps a conversation from being assigned twice.
-- Names are stored comma-separated (agents allow no commas in them); channel capacities as "type count" pairs.
CREATE TABLE sb_agent (
    tenant            VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    agent_id          VARCHAR(256) NOT NULL,
    display_name      VARCHAR(256) NOT NULL,
    languages         TEXT NOT NULL,
    skills            TEXT NOT NULL,
    teams             TEXT NOT NULL,
    capacity          INTEGER NOT NULL,
    channel_capacity  TEXT NOT NULL,
    presence          VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    presence_since    DATETIME(6) NOT NULL,
    last_assigned_at  DATETIME(6),
    PRIMARY KEY (tenant, agent_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;

CREATE TABLE sb_assignment (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    agent_id         VARCHAR(256) NOT NULL,
    channel_type     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    assigned_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_assignment_agent ON sb_assignment (tenant, agent_id);

-- priority_rank: 0 URGENT .. 3 LOW, so the service order (priority, then longest wait) is one ascending index.
CREATE TABLE sb_route_queue (
    tenant           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    conversation_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    queue_name       VARCHAR(64)  NOT NULL,
    priority_rank    INTEGER      NOT NULL,
    channel_type     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    language         VARCHAR(64),
    skills           TEXT NOT NULL,
    waiting_since    DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin ROW_FORMAT = DYNAMIC;
CREATE INDEX sb_route_queue_order ON sb_route_queue (tenant, priority_rank, waiting_since, conversation_id);
