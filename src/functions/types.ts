import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import type { Level } from '../../db/schema.ts';
import type { ListSource } from './listing.ts';
import type { Changes } from './planners/changes.ts';

/** Who is calling: a staff member (root/admin) or a client user, possibly an admin acting as one (su). */
export interface Session {
  userId: number;
  login: string;
  level: Level;
  clientId?: number;
  /** The staff member acting with this client user's rights, when the session came from su. */
  suBy?: { userId: number; login: string };
  /** The front door, for the audit log: slack, api, sandbox, seed, test. */
  via: string;
}

export interface Settings {
  /** How long opening a ticket keeps it locked to the staff member who opened it. */
  lockMinutes: number;
}

/** What every call needs: the database, the clock and settings. */
export interface Deps {
  db: Db;
  now: () => Date;
  settings: Settings;
}

/** What a function's `run` gets: one transaction, who is calling, and where its changes are gathered. */
export interface RunContext {
  tx: Tx;
  session: Session;
  now: Date;
  settings: Settings;
  /** The call's ticket changes, planned into jobs once at its end (planners/plan.ts). */
  changes: Changes;
}

/** A list cell: strings as they are, numbers as integers, booleans as on/off flags, dates as dates. */
export type Cell = string | number | boolean | Date | null | undefined;
export type Row = Record<string, Cell>;

export interface ListResult {
  kind: 'list';
  rows: Row[];
  /** Filled in by the registry from p_num, p_cnt, p_sort, p_order. */
  page: { num: number; cnt: number; elems: number; sort: string; order: 'asc' | 'desc' };
}

export interface FormMessage {
  id: number;
  type: 'incoming' | 'outcoming';
  author: string;
  body: string;
  datePost: Date;
  internal: boolean;
  hidden: boolean;
  edited: boolean;
  attachments: { id: number; filename: string; size: number }[];
}

export interface FormResult {
  kind: 'form';
  fields: Row;
  /** Messages of a ticket form (`mlist`). */
  messages?: FormMessage[];
  /** Select options (`slist`): name → key/label pairs. */
  options?: Record<string, { key: string; label: string }[]>;
}

export interface OkResult {
  kind: 'ok';
  /** New object's id on create. */
  id?: number;
  /** Tickets the write touched, for the audit log and for the front doors to refresh. */
  tickets: number[];
  /** ticket.su: the client user whose rights to take. */
  su?: { userId: number; login: string };
  /** oncall.ack: whether this call took the page, or who had taken it before. */
  ack?: { taken: boolean; by: string | null };
}

export type Result = ListResult | FormResult | OkResult;
/** A list as a function describes it: a SQL list (tickets, messages) or a small list of rows in memory. */
export type RawList = SqlList | RowList;

/** A list the registry filters, sorts and pages in SQL (listing.ts). */
export interface SqlList {
  kind: 'list';
  source: ListSource;
  /** Who may see which rows, and the saved filter. */
  where: SQL | undefined;
  /** The default view by column (open tickets): each holds unless an inline filter names its column. */
  defaults?: Record<string, SQL>;
  defaultSort: string;
  defaultOrder: 'asc' | 'desc';
}

/**
 * A list small enough to build whole (the provisioning objects: providers, departments, people),
 * filtered, sorted and paged in memory (row-list.ts).
 */
export interface RowList {
  kind: 'list';
  rows: Row[];
  defaultSort: string;
  defaultOrder: 'asc' | 'desc';
}

export interface TicketFunction<S extends z.ZodObject = z.ZodObject> {
  name: string;
  access: readonly Level[];
  params: S;
  /**
   * Only reads, each step one statement (a list's page is one): runs without BEGIN/COMMIT, which
   * would add two round trips to every call and protect nothing.
   */
  readOnly?: true;
  /** Empty parameters reach the function as '' instead of counting as absent (settings: '' switches off). */
  keepEmpty?: true;
  run(ctx: RunContext, params: z.output<S>): Promise<RawList | FormResult | OkResult>;
}

export const STAFF = ['root', 'admin'] as const satisfies readonly Level[];
export const CLIENT = ['user'] as const satisfies readonly Level[];

export function defineFunction<S extends z.ZodObject>(fn: TicketFunction<S>): TicketFunction<S> {
  return fn;
}
