-- slack_events held claim keys of every kind (event ids, clicks, mirrored messages), not only event ids:
-- renamed to slack_claims.claim_key, rows kept. slack_claims_received_at_idx: the retention sweep
-- (src/retention.ts) deletes claims older than a cut-off in batches; without it each batch scans the table.
ALTER TABLE "slack_events" RENAME TO "slack_claims";--> statement-breakpoint
ALTER TABLE "slack_claims" RENAME COLUMN "event_id" TO "claim_key";--> statement-breakpoint
CREATE INDEX "slack_claims_received_at_idx" ON "slack_claims" USING btree ("received_at");