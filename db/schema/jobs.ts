import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { departments } from './accounts.ts';
import { ts } from './columns.ts';
import { tickets } from './tickets.ts';

export const JOB_STATES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

/** Scheduled work: SLA warnings, on-call escalation, digests, card refreshes. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    runAt: ts('run_at').notNull(),
    state: text('state', { enum: JOB_STATES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lockedBy: text('locked_by'),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    /**
     * Set when the job is enqueued again while it runs: its worker acted on an older state, so on
     * completion the job goes back to pending at this time instead of done.
     */
    rerunAt: ts('rerun_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('jobs_dedupe_active_idx').on(t.dedupeKey).where(sql`state in ('pending', 'running')`),
    index('jobs_due_idx').on(t.state, t.runAt),
  ],
);

/**
 * One on-call paging episode of a high-priority ticket: open (`endedAt` null) while the ticket stays
 * high priority; `ackedAt` set once someone took it, which stops the escalation chain. Kept in the
 * database so an Ack survives restarts and every replica sees it.
 */
export const escalations = pgTable(
  'escalations',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    startedAt: ts('started_at').notNull(),
    /** Highest chain step posted so far (-1: none yet). */
    lastStep: integer('last_step').notNull().default(-1),
    /** Slack user who pressed Ack, or the staff member who answered. */
    ackedBy: text('acked_by'),
    ackedAt: ts('acked_at'),
    endedAt: ts('ended_at'),
    /** The page messages posted, so an Ack can replace their buttons. */
    messages: jsonb('messages').$type<{ channel: string; ts: string }[]>().notNull().default([]),
  },
  (t) => [index('escalations_ticket_idx').on(t.ticketId)],
);

/** The daily digest posted for a department on a local date; refreshed in place by its ts. */
export const digests = pgTable(
  'digests',
  {
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** 'YYYY-MM-DD' in the department calendar's time zone. */
    localDate: text('local_date').notNull(),
    /**
     * The digest time it was posted for: a job for a later time of the same day (the time was moved)
     * posts a new digest, while a retried job of the same time refreshes this one.
     */
    digestTime: text('digest_time'),
    channel: text('channel').notNull(),
    ts: text('ts'),
    postedAt: ts('posted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.localDate] })],
);

/**
 * The SLA warnings sent: one per ticket, deadline and stage, whatever re-plans the warnings later
 * (settings saves, restarts, retries). `overdue` marks a warning that told the deadline had passed,
 * so a deadline moved into the past during the same wait does not say it again.
 */
export const slaWarnings = pgTable(
  'sla_warnings',
  {
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    deadline: ts('deadline').notNull(),
    stage: integer('stage').notNull(),
    overdue: boolean('overdue').notNull(),
    sentAt: ts('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.deadline, t.stage] })],
);
