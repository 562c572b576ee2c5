CREATE TABLE "digests" (
	"department_id" integer NOT NULL,
	"local_date" text NOT NULL,
	"channel" text NOT NULL,
	"ts" text,
	"posted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digests_department_id_local_date_pk" PRIMARY KEY("department_id","local_date")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_step" integer DEFAULT -1 NOT NULL,
	"acked_by" text,
	"acked_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"messages" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "digests" ADD CONSTRAINT "digests_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalations_ticket_idx" ON "escalations" USING btree ("ticket_id");