-- The queue weight's time-independent part is stored whole: premium (500) joins priority and the
-- manual raise in tickets.queue_base, so the queue weighs a ticket from its own row (no lookup of the
-- client per candidate) and its bound is tighter (QUEUE_SLACK 2,220: waiting and deadline only).
-- tickets.client_premium mirrors clients.premium; triggers keep it equal in the writing transaction:
--   tickets_client_premium: a ticket written with a client (insert, or a new client_id) takes its premium;
--   clients_premium_to_tickets: a client's premium changing is copied to all its tickets.
-- Dropping queue_base drops the three indexes on it; they are created again as 0007 and 0010 made them.
-- The new queue_base has no statistics until tickets is analyzed: the queue's plans guess without them
-- (autovacuum would take its time on a large table), so the migration analyzes it.
ALTER TABLE "tickets" ADD COLUMN "client_premium" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "tickets" SET "client_premium" = true FROM "clients" WHERE "clients"."id" = "tickets"."client_id" AND "clients"."premium";--> statement-breakpoint
ALTER TABLE "tickets" DROP COLUMN "queue_base";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "queue_base" integer GENERATED ALWAYS AS (1 + 1000 * priority + case when high_priority then 3000 else 0 end + case when client_premium then 500 else 0 end) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_open_idx" ON "tickets" USING btree ("department_id","id","status","queue_base","client_id","waiting_since","deadline") WHERE status in (0, 1, 2);--> statement-breakpoint
CREATE INDEX "tickets_open_queue_idx" ON "tickets" USING btree ("queue_base","department_id") WHERE status in (0, 1, 2);--> statement-breakpoint
CREATE INDEX "tickets_status_queue_idx" ON "tickets" USING btree ("status","queue_base");--> statement-breakpoint
CREATE FUNCTION "tickets_client_premium"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.client_premium := coalesce((SELECT premium FROM clients WHERE id = NEW.client_id), false);
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "tickets_client_premium" BEFORE INSERT OR UPDATE OF "client_id", "client_premium" ON "tickets"
  FOR EACH ROW EXECUTE FUNCTION "tickets_client_premium"();--> statement-breakpoint
CREATE FUNCTION "clients_premium_to_tickets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET client_premium = NEW.premium WHERE client_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "clients_premium_to_tickets" AFTER UPDATE OF "premium" ON "clients"
  FOR EACH ROW WHEN (OLD.premium IS DISTINCT FROM NEW.premium) EXECUTE FUNCTION "clients_premium_to_tickets"();--> statement-breakpoint
ANALYZE "tickets";
