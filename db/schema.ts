import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Access levels of the spec: staff are `root` or `admin`, client users are `user`. */
export const LEVELS = ['root', 'admin', 'user'] as const;
export type Level = (typeof LEVELS)[number];

/** Ticket statuses (`tstatus`) as the spec numbers them. */
export const STATUS = { new: 0, review: 1, awaiting: 2, closed: 3, archived: 10 } as const;
export type Status = (typeof STATUS)[keyof typeof STATUS];

/** Priorities 0 low, 1 medium, 2 high. */
export const PRIORITIES = [0, 1, 2] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Actions a violation (abuse registration) may carry. */
export const ABUSE_ACTIONS = ['none', 'warn', 'suspend', 'block'] as const;

/** Business-hours calendar of a department. Days are ISO weekdays (1 = Monday … 7 = Sunday). */
export interface Calendar {
  timezone: string;
  days: number[];
  start: string; // 'HH:MM'
  end: string; // 'HH:MM'
  holidays: string[]; // 'YYYY-MM-DD', local dates
}

/** On-call target of a department and its escalation chain (Slack user ids or `subteam:S…`). */
export interface OnCall {
  usergroup?: string;
  rotation?: { members: string[]; shiftHours: number; handover: string; timezone: string; start: string };
  /** Targets after the on-call person, in order, each tried when the previous did not Ack. */
  chain: string[];
  ackMinutes: number;
}

/** Response regulation: minutes of business time allowed per priority ('0' | '1' | '2'). */
export type Regulation = Record<'0' | '1' | '2', number>;

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export const providers = pgTable('providers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
});

export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  providerId: integer('provider_id')
    .notNull()
    .references(() => providers.id),
  name: text('name').notNull(),
  regulation: jsonb('regulation').$type<Regulation>().notNull(),
  calendar: jsonb('calendar').$type<Calendar>().notNull(),
  paidSupport: boolean('paid_support').notNull().default(false),
  incidentPrice: money('incident_price').notNull().default('0'),
  /** Slack channel the department's ticket cards go to. */
  slackChannel: text('slack_channel'),
  /** Minutes before the deadline at which SLA warnings go out (0 = at breach). */
  warningStages: integer('warning_stages').array().notNull().default(sql`'{60,15,0}'::integer[]`),
  /** Who is on call: a Slack user group or a built-in rotation; see src/schedule. */
  oncall: jsonb('oncall').$type<OnCall | null>(),
  /** Daily digest: local time of day 'HH:MM' in the calendar's time zone; null = no digest. */
  digestTime: text('digest_time'),
});

export const clients = pgTable('clients', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  providerId: integer('provider_id')
    .notNull()
    .references(() => providers.id),
  balance: money('balance').notNull().default('0'),
  /** Paid support tickets bought and not yet used. */
  incidents: integer('incidents').notNull().default(0),
  premium: boolean('premium').notNull().default(false),
  /** Staff's characteristic of the client: -1 difficult, 0 neutral, 1 loyal. */
  attitude: integer('attitude').notNull().default(0),
  groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
  abuseScore: integer('abuse_score').notNull().default(0),
  /** A Slack Connect channel bound to this client account. */
  slackChannel: text('slack_channel').unique(),
});

/** Everyone who can log in: staff (root/admin) and client users (user, with clientId). */
export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    login: text('login').notNull().unique(),
    name: text('name').notNull(),
    level: text('level', { enum: LEVELS }).notNull(),
    clientId: integer('client_id').references(() => clients.id),
    passwordHash: text('password_hash'),
    slackUserId: text('slack_user_id').unique(),
    timezone: text('timezone').notNull().default('UTC'),
    disabled: boolean('disabled').notNull().default(false),
  },
  (t) => [index('users_client_idx').on(t.clientId)],
);

export const staffDepartments = pgTable(
  'staff_departments',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentId] })],
);

/** A client's service (the spec's `ticket_item` / `item`). */
export const services = pgTable('services', {
  id: serial('id').primaryKey(),
  clientId: integer('client_id')
    .notNull()
    .references(() => clients.id),
  name: text('name').notNull(),
  productType: text('product_type').notNull(),
});

export const tickets = pgTable(
  'tickets',
  {
    id: serial('id').primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    serviceId: integer('service_id').references(() => services.id),
    responsibleId: integer('responsible_id').references(() => users.id),
    name: text('name').notNull(),
    status: integer('status').$type<Status>().notNull().default(0),
    priority: integer('priority').$type<Priority>().notNull().default(1),
    clientPriority: integer('client_priority').$type<Priority>().notNull().default(1),
    highPriority: boolean('high_priority').notNull().default(false),
    deadline: ts('deadline'),
    deadlineManual: boolean('deadline_manual').notNull().default(false),
    /** Since when the client waits for an answer (oldest unanswered client message); null if not waiting. */
    waitingSince: ts('waiting_since'),
    lockedBy: integer('locked_by').references(() => users.id),
    lockedUntil: ts('locked_until'),
    /** A paid support ticket was spent on it. */
    paid: boolean('paid').notNull().default(false),
    fromGate: boolean('from_gate').notNull().default(false),
    fromAbuseProcess: boolean('from_abuse_process').notNull().default(false),
    /** The ticket this one was split from. */
    splitFrom: integer('split_from'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('tickets_queue_idx').on(t.status, t.highPriority, t.priority, t.waitingSince),
    index('tickets_client_idx').on(t.clientId, t.status),
    index('tickets_department_idx').on(t.departmentId, t.status),
    index('tickets_responsible_idx').on(t.responsibleId),
    index('tickets_deadline_idx').on(t.deadline),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    /** True when the author is staff (BILLmanager's `outcoming`). */
    fromStaff: boolean('from_staff').notNull(),
    body: text('body').notNull(),
    /** Internal note: staff only, everywhere. */
    internal: boolean('internal').notNull().default(false),
    /** Hidden from the client by `ticket.message.delete`; kept for staff. */
    hidden: boolean('hidden').notNull().default(false),
    createdAt: ts('created_at').notNull(),
    editedAt: ts('edited_at'),
  },
  (t) => [index('messages_ticket_idx').on(t.ticketId, t.id)],
);

export const messageEdits = pgTable('message_edits', {
  id: serial('id').primaryKey(),
  messageId: integer('message_id')
    .notNull()
    .references(() => messages.id),
  editorId: integer('editor_id')
    .notNull()
    .references(() => users.id),
  previousBody: text('previous_body').notNull(),
  editedAt: ts('edited_at').notNull(),
});

export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

export const favorites = pgTable(
  'favorites',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] })],
);

/** The newest message a user has seen in a ticket. */
export const readMarks = pgTable(
  'read_marks',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    lastMessageId: integer('last_message_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] })],
);

export const violations = pgTable(
  'violations',
  {
    id: serial('id').primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    ticketId: integer('ticket_id').references(() => tickets.id),
    staffId: integer('staff_id')
      .notNull()
      .references(() => users.id),
    score: integer('score').notNull(),
    note: text('note').notNull().default(''),
    action: text('action', { enum: ABUSE_ACTIONS }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('violations_client_idx').on(t.clientId), index('violations_ticket_idx').on(t.ticketId)],
);

export const expenses = pgTable('expenses', {
  id: serial('id').primaryKey(),
  clientId: integer('client_id')
    .notNull()
    .references(() => clients.id),
  ticketId: integer('ticket_id')
    .notNull()
    .references(() => tickets.id),
  staffId: integer('staff_id')
    .notNull()
    .references(() => users.id),
  amount: money('amount').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const incidentPurchases = pgTable('incident_purchases', {
  id: serial('id').primaryKey(),
  clientId: integer('client_id')
    .notNull()
    .references(() => clients.id),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  count: integer('count').notNull(),
  amount: money('amount').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** Saved list filters per user and list (`ticket`, `clientticket`). */
export const savedFilters = pgTable(
  'saved_filters',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    list: text('list').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.list] })],
);

/** Every write, whoever made it and through whichever door. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: ts('at').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    /** Login (and `su` origin) as the caller was known: "alice", "root as client1". */
    actor: text('actor').notNull(),
    via: text('via').notNull(),
    func: text('func').notNull(),
    ticketId: integer('ticket_id'),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
  },
  (t) => [index('audit_ticket_idx').on(t.ticketId), index('audit_at_idx').on(t.at)],
);

/** API sessions (`func=auth`, `su`) and one-use keys (`session.newkey`). */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  /** The staff member who made this session with su, if any. */
  suBy: integer('su_by').references(() => users.id),
  lastUsed: ts('last_used').notNull(),
});

export const authKeys = pgTable('auth_keys', {
  keyHash: text('key_hash').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: ts('created_at').notNull(),
});

/** Failed logins per remote address, for slowing down guessing. */
export const loginFailures = pgTable('login_failures', {
  address: text('address').primaryKey(),
  count: integer('count').notNull(),
  lastAt: ts('last_at').notNull(),
});

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
    channel: text('channel').notNull(),
    ts: text('ts'),
    postedAt: ts('posted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.localDate] })],
);

export const schema = {
  providers,
  departments,
  clients,
  users,
  staffDepartments,
  services,
  tickets,
  messages,
  messageEdits,
  attachments,
  favorites,
  readMarks,
  violations,
  expenses,
  incidentPurchases,
  savedFilters,
  auditLog,
  sessions,
  authKeys,
  loginFailures,
  slackEvents,
  ticketCards,
  linkCodes,
  jobs,
  escalations,
  digests,
};

export type Ticket = typeof tickets.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type User = typeof users.$inferSelect;
export type Client = typeof clients.$inferSelect;
export type Department = typeof departments.$inferSelect;
export type Escalation = typeof escalations.$inferSelect;
