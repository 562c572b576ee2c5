/** The Slack door's own state: claims (handled events, clicks), ticket cards and link codes. */
import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { ts } from './columns.ts';
import { tickets } from './tickets.ts';

/**
 * Claims on things the Slack door acts on once (an event id Slack redelivers, a double-clicked button):
 * `claim_key` is the claim's own key (`event:Ev123`, a click's key), not a Slack id.
 */
export const slackClaims = pgTable(
  'slack_claims',
  {
    claimKey: text('claim_key').primaryKey(),
    receivedAt: ts('received_at').notNull(),
  },
  // The retention sweep deletes claims older than a cut-off (src/retention.ts).
  (t) => [index('slack_claims_received_at_idx').on(t.receivedAt)],
);

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
