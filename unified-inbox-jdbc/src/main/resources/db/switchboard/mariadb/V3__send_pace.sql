-- Send pacing shared by every node: one row per platform account (tenant/channel) and per recipient
-- (tenant/channel/recipient) holding the earliest instant its next send may start. A send locks the rows, takes the
-- latest of now and the marks as its start and moves each mark one emission interval (period / permits) on.
-- The key is its UTF-8 bytes (VARBINARY, compared exactly): a recipient key of a 512-character platform user id in
-- 4-byte characters would not fit an index as utf8mb4 text.
CREATE TABLE sb_send_pace (
    pace_key  VARBINARY(3072) NOT NULL PRIMARY KEY,
    mark      DATETIME(6) NOT NULL
) ENGINE = InnoDB;
CREATE INDEX sb_send_pace_mark ON sb_send_pace (mark);
