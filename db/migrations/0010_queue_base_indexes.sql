-- tickets_open_queue_idx: the open queue's page reads the highest queue_base first and then only the
--   tickets whose weight can still reach the page (listing.ts `reachable`); department second so a
--   department's queue filters inside the index.
-- tickets_status_queue_idx: a list of one status (closed tickets: 70% of all) pages the same way, and
--   counts its rows with an index-only scan.
CREATE INDEX "tickets_open_queue_idx" ON "tickets" USING btree ("queue_base","department_id") WHERE status in (0, 1, 2);--> statement-breakpoint
CREATE INDEX "tickets_status_queue_idx" ON "tickets" USING btree ("status","queue_base");