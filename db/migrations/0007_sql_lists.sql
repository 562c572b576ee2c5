DROP INDEX "tickets_queue_idx";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "queue_base" integer GENERATED ALWAYS AS (1 + 1000 * priority + case when high_priority then 3000 else 0 end) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "messages_client_visible_idx" ON "messages" USING btree ("ticket_id","id") WHERE not internal and not hidden;--> statement-breakpoint
CREATE INDEX "messages_internal_idx" ON "messages" USING btree ("ticket_id") WHERE internal;--> statement-breakpoint
CREATE INDEX "tickets_open_idx" ON "tickets" USING btree ("department_id","id","status","queue_base","client_id","waiting_since","deadline") WHERE status in (0, 1, 2);--> statement-breakpoint
CREATE INDEX "tickets_client_list_idx" ON "tickets" USING btree ("client_id","updated_at" DESC NULLS LAST,"id") WHERE status <> 10;