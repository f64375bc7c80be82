-- Issue 15, fault 3: an Idempotency-Key is bound to its request. The hash of what was
-- asked (route, parameters, body) is kept beside the answer; the same key with another
-- request is refused instead of answered with the first request's result. NULL for
-- device commands (a repeated command id returns the first reply, whatever it carries).
ALTER TABLE device_commands ADD COLUMN request_hash TEXT;
