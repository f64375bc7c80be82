-- The live ticket page on the phone (issue 14 item 1): every ticket issued from now on carries
-- an unguessable public token (128 random bits, base64url, hub/domain/ticket-page.ts), made in
-- the same transaction as the ticket (hub/services/queue.ts), printed as a QR code that opens
-- /t/<token>. The token is the only key of the page: no name, national ID or mobile behind it.
-- Tickets issued before this migration have none (their day is over, the page would be expired).
ALTER TABLE tickets ADD COLUMN public_token TEXT;
CREATE UNIQUE INDEX tickets_public_token ON tickets (public_token) WHERE public_token IS NOT NULL;
