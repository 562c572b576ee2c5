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
} from 'drizzle-orm/pg-core';
import { clients, departments, services, users } from './accounts.ts';
import { bytea, money, ts } from './columns.ts';

/** Ticket statuses (`tstatus`) as the spec numbers them. */
export const STATUS = { new: 0, review: 1, awaiting: 2, closed: 3, archived: 10 } as const;
export type Status = (typeof STATUS)[keyof typeof STATUS];

/** Priorities 0 low, 1 medium, 2 high. */
export const PRIORITIES = [0, 1, 2] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Actions a violation (abuse registration) may carry, each with its effect: `none` records it, `warn`
 * also tells the client in the ticket, `block` also disables the client's logins.
 */
export const ABUSE_ACTIONS = ['none', 'warn', 'block'] as const;
export type AbuseAction = (typeof ABUSE_ACTIONS)[number];
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
    /**
     * The client's `premium`, kept equal to it by database triggers (migration 0011): set from the
     * client when a ticket is written with a client, and on every ticket of a client whose premium
     * changes, in that change's transaction. Stored so the queue weight's time-independent part is.
     */
    clientPremium: boolean('client_premium').notNull().default(false),
    /**
     * The queue weight's time-independent part (domain/tickets.ts `queueWeight`): 1 + 1000·priority +
     * 3000·raised manually + 500·premium client. Generated, so every write keeps it current in its own
     * statement; the queue adds the waiting and deadline parts (from `now`) in SQL.
     */
    queueBase: integer('queue_base')
      .notNull()
      .generatedAlwaysAs(
        sql`1 + 1000 * priority + case when high_priority then 3000 else 0 end + case when client_premium then 500 else 0 end`,
      ),
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
    /**
     * The open queue (1–2% of all tickets): everything its weight needs as key columns (drizzle has no INCLUDE), so the queue's count and sort
     * read this small index alone (index-only scan), never the heap of closed tickets. Department
     * first: a staff member's department scope narrows it. The status list is literal in the queries
     * (not a parameter), or Postgres could not prove a generic plan may use a partial index.
     */
    index('tickets_open_idx')
      .on(t.departmentId, t.id, t.status, t.queueBase, t.clientId, t.waitingSince, t.deadline)
      .where(sql`status in (0, 1, 2)`),
    /**
     * The open queue in `queue_base` order: its first page reads the highest bases and then only the
     * tickets whose weight can still reach that page (listing.ts `reachable`), not every open ticket.
     * Department second, so a department's queue filters inside the index.
     */
    index('tickets_open_queue_idx').on(t.queueBase, t.departmentId).where(sql`status in (0, 1, 2)`),
    /**
     * One status in `queue_base` order (a saved filter on closed tickets: 70% of all): the same bounded
     * page as the open queue, and its count an index-only scan.
     */
    index('tickets_status_queue_idx').on(t.status, t.queueBase),
    /** A client's list (`clientticket`) newest first, archived tickets left out, paged in index order. */
    index('tickets_client_list_idx').on(t.clientId, t.updatedAt.desc(), t.id).where(sql`status <> 10`),
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
  (t) => [
    index('messages_ticket_idx').on(t.ticketId, t.id),
    /** What a client sees of a ticket: `clientticket`'s last visible message, the client's thread. */
    index('messages_client_visible_idx').on(t.ticketId, t.id).where(sql`not internal and not hidden`),
    /** The queue's `note` flag: whether a ticket has internal notes, without reading its messages. */
    index('messages_internal_idx').on(t.ticketId).where(sql`internal`),
  ],
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
