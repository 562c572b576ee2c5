import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { money } from './columns.ts';

/** Access levels of the spec: staff are `root` or `admin`, client users are `user`. */
export const LEVELS = ['root', 'admin', 'user'] as const;
export type Level = (typeof LEVELS)[number];

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
export const providers = pgTable('providers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Deleted with history left behind: kept for its departments' and clients' past. */
  disabled: boolean('disabled').notNull().default(false),
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
  /** Who is on call: a Slack user group or a built-in rotation; see docs/scheduled-work.md. */
  oncall: jsonb('oncall').$type<OnCall | null>(),
  /** Daily digest: local time of day 'HH:MM' in the calendar's time zone; null = no digest. */
  digestTime: text('digest_time'),
  /** Clients may not pick it when they open a ticket; only staff move tickets there. */
  staffOnly: boolean('staff_only').notNull().default(false),
  /** Deleted with tickets behind it: kept for their history, offered to nobody. */
  disabled: boolean('disabled').notNull().default(false),
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
  /**
   * The Slack team (organisation) of the client's people, recorded at bind time: in the bound
   * channel only its members act as this client, never a third organisation sharing the channel.
   */
  slackTeam: text('slack_team'),
  /** Deleted with history left behind: its users cannot log in. */
  disabled: boolean('disabled').notNull().default(false),
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
    email: text('email'),
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

/**
 * Ids an object had in the system it was imported from (`SOURCE#ID`, SOURCE being the other
 * BILLmanager's address), so importing again updates instead of duplicating. One table for every
 * kind: the importer and the provisioning functions look ids up the same way, and the mapping is
 * written in the same transaction as the object.
 */
export const externalIds = pgTable(
  'external_ids',
  {
    /** The registry's object: project, department, account, user, admin, ticket, message. */
    kind: text('kind').notNull(),
    externalId: text('external_id').notNull(),
    localId: integer('local_id').notNull(),
  },
  // The primary key answers "is this source object here already?"; the index the reverse, for lists.
  (t) => [
    primaryKey({ columns: [t.kind, t.externalId] }),
    index('external_ids_local_idx').on(t.kind, t.localId),
  ],
);
