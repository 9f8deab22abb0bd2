-- Send pacing shared by every node: one row per platform account (tenant/channel) and per recipient
-- (tenant/channel/recipient) holding the earliest instant its next send may start. A send locks the rows, takes the
-- latest of now and the marks as its start and moves each mark one emission interval (period / permits) on.
CREATE TABLE sb_send_pace (
    pace_key  VARCHAR(1024) NOT NULL PRIMARY KEY,
    mark      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sb_send_pace_mark ON sb_send_pace (mark);
