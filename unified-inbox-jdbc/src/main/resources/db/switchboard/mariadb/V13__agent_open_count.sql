-- Each agent's open assignments, kept by the store in the transaction that records or releases one (the assignment
-- already locks the agent's row), so a drain round reads only the online agents with room instead of counting every
-- assignment of the tenant. The capacity check itself still counts the assignments under the agent's lock.
ALTER TABLE sb_agent ADD COLUMN open_count INTEGER NOT NULL DEFAULT 0;
UPDATE sb_agent SET open_count = (SELECT COUNT(*) FROM sb_assignment s
    WHERE s.tenant = sb_agent.tenant AND s.agent_id = sb_agent.agent_id);
