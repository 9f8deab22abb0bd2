-- Routing: agents per tenant (settings, presence, last assignment), the open conversations counted against each
-- agent's capacity, and the queue of conversations waiting for an agent. Assigning locks the agent's row
-- (SELECT ... FOR UPDATE) and counts its assignments, so nodes assigning to one agent take turns and never exceed
-- its capacity; an assignment's primary key keeps a conversation from being assigned twice.
-- Names are stored comma-separated (agents allow no commas in them); channel capacities as "type count" pairs.
CREATE TABLE sb_agent (
    tenant            VARCHAR(128) NOT NULL,
    agent_id          VARCHAR(256) NOT NULL,
    display_name      VARCHAR(256) NOT NULL,
    languages         VARCHAR(8192) NOT NULL,
    skills            VARCHAR(8192) NOT NULL,
    teams             VARCHAR(8192) NOT NULL,
    capacity          INTEGER NOT NULL,
    channel_capacity  VARCHAR(8192) NOT NULL,
    presence          VARCHAR(16) NOT NULL,
    presence_since    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_assigned_at  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (tenant, agent_id)
);

CREATE TABLE sb_assignment (
    tenant           VARCHAR(128) NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    agent_id         VARCHAR(256) NOT NULL,
    channel_type     VARCHAR(128) NOT NULL,
    assigned_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
);
CREATE INDEX sb_assignment_agent ON sb_assignment (tenant, agent_id);

-- priority_rank: 0 URGENT .. 3 LOW, so the service order (priority, then longest wait) is one ascending index.
CREATE TABLE sb_route_queue (
    tenant           VARCHAR(128) NOT NULL,
    conversation_id  VARCHAR(128) NOT NULL,
    customer_id      VARCHAR(128) NOT NULL,
    queue_name       VARCHAR(64)  NOT NULL,
    priority_rank    INTEGER      NOT NULL,
    channel_type     VARCHAR(128) NOT NULL,
    language         VARCHAR(64),
    skills           VARCHAR(8192) NOT NULL,
    waiting_since    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, conversation_id)
);
CREATE INDEX sb_route_queue_order ON sb_route_queue (tenant, priority_rank, waiting_since, conversation_id);
