CREATE TABLE "sla_warnings" (
	"ticket_id" integer NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"stage" integer NOT NULL,
	"overdue" boolean NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sla_warnings_ticket_id_deadline_stage_pk" PRIMARY KEY("ticket_id","deadline","stage")
);
--> statement-breakpoint
ALTER TABLE "digests" ADD COLUMN "digest_time" text;--> statement-breakpoint
ALTER TABLE "sla_warnings" ADD CONSTRAINT "sla_warnings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;