/** The HTTP API's own state: sessions, one-use keys and login throttling. */
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { ts } from './columns.ts';

/** API sessions (`func=auth`, `su`) and one-use keys (`session.newkey`). */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  /** The staff member who made this session with su, if any. */
  suBy: integer('su_by').references(() => users.id),
  lastUsed: ts('last_used').notNull(),
  /** Sessions end this long after login however busy they are (SESSION_MAX_HOURS). */
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const authKeys = pgTable('auth_keys', {
  keyHash: text('key_hash').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: ts('created_at').notNull(),
  /**
   * The staff member who registered the key: a key login is a session made by them, as su makes
   * one. Empty only for keys from before makers were recorded, which no longer log in.
   */
  madeBy: integer('made_by').references(() => users.id),
});

/**
 * Login attempts per account (`account:LOGIN`) and per remote address (`address:IP`), for slowing
 * down guessing: failures counted since the last quiet period, and attempts still being checked.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailure: ts('last_failure').notNull(),
  pending: integer('pending').notNull(),
  pendingSince: ts('pending_since').notNull(),
});
