import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import type { Level } from '../../db/schema.ts';
import type { Column, RowOf } from './list-columns.ts';
import type { ListSource } from './listing.ts';
import type { Changes } from './planners/changes.ts';

/**
 * Who may call a function: the spec's levels, and `guest`, a person a front door identified (a
 * Slack user, by a signed request) who has no account yet: they may only link or join one.
 */
export type Access = Level | 'guest';

/** Who is calling: a staff member (root/admin) or a client user, possibly an admin acting as one (su). */
export interface Session {
  /** 0 for a guest and for the command line: no account behind the call. */
  userId: number;
  login: string;
  level: Access;
  clientId?: number;
  /** The staff member acting with this client user's rights, when the session came from su. */
  suBy?: { userId: number; login: string };
  /** The front door, for the audit log: slack, api, sandbox, seed, test. */
  via: string;
  /**
   * The Slack user behind the call, when the Slack door verified it (a signed request): the one
   * identity the Slack-linking functions act on, never one named in the parameters.
   */
  slackUserId?: string;
}

/** A file sent with a call (`file_N` in the API), stored with the message the call writes. */
export interface Upload {
  /** The request field it came in, for refusals. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** What a front door hands a call besides its parameters. */
export interface CallInput {
  /** Files for the message the call writes; a call that writes none is refused with them. */
  attachments?: readonly Upload[];
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
  /** Files sent with the call, stored in this transaction with the message it writes. */
  attachments?: readonly Upload[];
}

/** A list cell: strings as they are, numbers as integers, booleans as on/off flags, dates as dates. */
export type Cell = string | number | boolean | Date | null | undefined;
export type Row = Record<string, Cell>;

export interface ListResult<R extends Row = Row> {
  kind: 'list';
  rows: R[];
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

export interface FormResult<F extends Row = Row> {
  kind: 'form';
  fields: F;
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
  /** The message the call wrote (and stored its attachments with). */
  messageId?: number;
  /** The name of the object acted on, for the front door's confirmation. */
  name?: string;
  /** slack.linkcode: the one-time code made. */
  code?: string;
}

export type Result = ListResult | FormResult | OkResult;

/** A list the registry filters, sorts and pages in SQL (listing.ts): every list is one. */
export interface SqlList<C extends Record<string, Column> = Record<string, Column>> {
  kind: 'list';
  source: ListSource<C>;
  /** Who may see which rows, and the saved filter. */
  where: SQL | undefined;
  /** The default view by column (open tickets): each holds unless an inline filter names its column. */
  defaults?: Record<string, SQL>;
  defaultSort: string;
  defaultOrder: 'asc' | 'desc';
}

/** What a function's `run` may return. */
export type Output = SqlList | FormResult | OkResult;

/** What the registry makes of a function's output: lists are paged, with rows typed by their columns. */
export type ResultOf<O extends Output> =
  O extends SqlList<infer C>
    ? ListResult<RowOf<C>>
    : O extends FormResult<infer F>
      ? FormResult<F>
      : OkResult;

export interface TicketFunction<
  S extends z.ZodObject = z.ZodObject,
  N extends string = string,
  O extends Output = Output,
> {
  name: N;
  access: readonly Access[];
  params: S;
  /**
   * Only reads, each step one statement (a list's page is one): runs without BEGIN/COMMIT, which
   * would add two round trips to every call and protect nothing.
   */
  readOnly?: true;
  /** Empty parameters reach the function as '' instead of counting as absent (settings: '' switches off). */
  keepEmpty?: true;
  run(ctx: RunContext, params: z.output<S>): Promise<O>;
}

export const STAFF = ['root', 'admin'] as const satisfies readonly Level[];
export const CLIENT = ['user'] as const satisfies readonly Level[];

/** A function as the registry holds it: its name and output types kept for `call`'s result type. */
export function defineFunction<S extends z.ZodObject, N extends string, O extends Output>(
  fn: TicketFunction<S, N, O>,
): TicketFunction<S, N, O> {
  return fn;
}
