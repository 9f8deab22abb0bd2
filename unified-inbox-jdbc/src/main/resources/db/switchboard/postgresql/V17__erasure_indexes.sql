-- Erasure empties the attributes of a person's feed events by customer and by conversation: without these indexes
-- each of those updates scanned the whole event feed of the tenant (every event ever appended).
CREATE INDEX sb_event_customer ON sb_event (tenant, customer_id);
CREATE INDEX sb_event_conversation ON sb_event (tenant, conversation_id);
