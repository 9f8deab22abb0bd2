-- Processed platform event ids are kept for the inbox's processedEventRetention (default 30 days) and pruned oldest
-- first by every node's maintenance task; this index makes finding the oldest ones cheap.
CREATE INDEX sb_processed_event_age ON sb_processed_event (processed_at);
