-- slack_reply_copies: no index besides its primary key (message_id, channel), which serves the one lookup (the copies of a message).
-- slack_held_channels: keyed by channel, the only lookup.
CREATE TABLE "slack_held_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_reply_copies" (
	"message_id" integer NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	CONSTRAINT "slack_reply_copies_message_id_channel_pk" PRIMARY KEY("message_id","channel")
);
--> statement-breakpoint
ALTER TABLE "slack_reply_copies" ADD CONSTRAINT "slack_reply_copies_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;