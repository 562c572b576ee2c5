/** Slack state: handled events and ticket cards (the door's own); link codes, written only by slack.linkcode and slack.link. */
import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { ts } from './columns.ts';
import { tickets } from './tickets.ts';

/** Slack event ids already handled (retries must not double-apply). */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: ts('received_at').notNull(),
});

/** The card message of a ticket in its department channel. */
export const ticketCards = pgTable('ticket_cards', {
  ticketId: integer('ticket_id')
    .primaryKey()
    .references(() => tickets.id),
  channel: text('channel').notNull(),
  ts: text('ts').notNull(),
  /** The card no longer shows the ticket as it is (Slack failed); refreshed later. */
  stale: boolean('stale').notNull().default(false),
});

/** One-time codes that link a Slack user to a client user. */
export const linkCodes = pgTable('link_codes', {
  code: text('code').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: ts('expires_at').notNull(),
});
