-- Campaign delivery receipts: the platform's id of each sent campaign message, recorded when the outbox sends it, so
-- a delivery or failure report that names it (Viber delivered/seen/failed, the website chat's read mark, an email
-- bounce) moves its recipient to DELIVERED or FAILED. Indexed by (tenant, channel, id) for the receipt and by
-- (tenant, message id) for the send. An erasure empties the ids of the person's recipients.
ALTER TABLE sb_campaign_recipient ADD COLUMN platform_message_id VARCHAR(512);
CREATE INDEX sb_campaign_recipient_platform ON sb_campaign_recipient (tenant, channel_id, platform_message_id);
CREATE INDEX sb_campaign_recipient_message ON sb_campaign_recipient (tenant, message_id);
