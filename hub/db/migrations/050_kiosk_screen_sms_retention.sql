-- Issue 14 item 2, the gaps after 044 (hub/sms/, hub/services/kiosk-screens.ts):
--  kiosk_screen_sessions: a kiosk's touch screen (the page /kiosk-screen) paired once with
--    its kiosk device's id and secret; the browser keeps only a random token (its SHA-256
--    here). The session acts as that kiosk and stops working when the kiosk's secret is
--    rotated (secret_set_at no longer matches), the kiosk is removed, or it is unpaired.
--  erased_at on sms_outbox and sms_subscriptions: the retention of mobile numbers
--    (SHUBBAK_SMS_RETENTION_DAYS, hub/sms/retention.ts): once a message's last event is older
--    than the retention, its number is blanked ('') and the time of erasure kept; the rows,
--    their counts and delivery states stay for the reports.
CREATE TABLE kiosk_screen_sessions (
  token_hash TEXT PRIMARY KEY,         -- sha256 hex of the cookie's token
  device_id TEXT NOT NULL,             -- the kiosk it acts as (no FK: removing the kiosk must not fail on it)
  secret_set_at INTEGER NOT NULL,      -- the kiosk's secret_set_at when paired
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX kiosk_screen_sessions_device ON kiosk_screen_sessions (device_id);

ALTER TABLE sms_outbox ADD COLUMN erased_at INTEGER;
ALTER TABLE sms_subscriptions ADD COLUMN erased_at INTEGER;
