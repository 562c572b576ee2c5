import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { externalIds, type Level, providers, users } from '../../../db/schema.ts';
import { hashPassword } from '../../passwords.ts';
import { invalid, missed, TicketError } from '../errors.ts';
import { idList, posInt, sok, text } from '../params.ts';
import { defineFunction, type FormResult, type RunContext } from '../types.ts';

/** Provisioning changes who may do what: roots only, as BILLmanager keeps these for its top level. */
export const ROOT = ['root'] as const satisfies readonly Level[];

export const exists = (object: string, message: string, value?: string) =>
  new TicketError('exists', object, message, value);

/** The kinds of object that carry external ids, named after their functions. */
export type Kind = 'project' | 'department' | 'account' | 'user' | 'admin' | 'ticket' | 'message';

/** `SOURCE#ID`: where an imported object came from, so importing again finds it. */
export const externalId = text(300);

/** The local id an external id was imported as, if it was. */
export async function localIdOf(tx: Tx, kind: Kind, external: string): Promise<number | undefined> {
  const [row] = await tx
    .select({ id: externalIds.localId })
    .from(externalIds)
    .where(and(eq(externalIds.kind, kind), eq(externalIds.externalId, external)));
  return row?.id;
}

export async function keepExternalId(tx: Tx, kind: Kind, external: string, localId: number): Promise<void> {
  await tx
    .insert(externalIds)
    .values({ kind, externalId: external, localId })
    .onConflictDoUpdate({ target: [externalIds.kind, externalIds.externalId], set: { localId } });
}

/**
 * The object an `.edit` call is about: `elid`, else the object imported under `external_id` (so an
 * import run again updates it), else none (a create).
 */
async function editTarget(
  tx: Tx,
  kind: Kind,
  p: { elid?: number; external_id?: string },
): Promise<number | undefined> {
  if (p.elid !== undefined) return p.elid;
  return p.external_id ? localIdOf(tx, kind, p.external_id) : undefined;
}

async function afterSave(tx: Tx, kind: Kind, id: number, external: string | undefined) {
  if (external) await keepExternalId(tx, kind, external, id);
}

export const login = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'may hold letters, digits and . _ @ - only');

/** A Slack member id as Slack shows it (`U…`, or `W…` on Enterprise Grid). */
export const slackUser = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack member id like U0123ABCD');

/** BILLmanager's password fields: `passwd` and its repetition `confirm`. */
export const passwordParams = {
  passwd: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
  confirm: z.string().optional(),
};

/** A new password's hash, or undefined when none was given; a mismatching `confirm` is refused. */
export async function newPasswordHash(p: { passwd?: string; confirm?: string }): Promise<string | undefined> {
  if (p.passwd === undefined) return undefined;
  if (p.confirm !== undefined && p.confirm !== p.passwd)
    throw invalid('confirm', 'The password and its confirmation differ');
  return hashPassword(p.passwd);
}

/** Logins and Slack accounts are one person each: a second holder is refused with `exists`. */
export async function refuseTaken(
  tx: Tx,
  p: { login?: string; slack_user?: string },
  self: number | undefined,
): Promise<void> {
  const other = (column: typeof users.login | typeof users.slackUserId, value: string) =>
    tx
      .select({ login: users.login })
      .from(users)
      .where(and(eq(column, value), self === undefined ? undefined : ne(users.id, self)));
  if (p.login) {
    const [taken] = await other(users.login, p.login);
    if (taken) throw exists('login', `The login ${p.login} is taken`, p.login);
  }
  if (p.slack_user) {
    const [taken] = await other(users.slackUserId, p.slack_user);
    if (taken)
      throw exists(
        'slack_user',
        `Slack user ${p.slack_user} is already linked to ${taken.login}`,
        p.slack_user,
      );
  }
}

/** A row the function is about, or `missed` naming it. */
export function found<T>(row: T | undefined, what: string, id: number, param = 'elid'): T {
  if (!row) throw missed(param, `${what} ${id} does not exist`, String(id));
  return row;
}

/** `elid` of a create/edit, and `external_id`: every `.edit` takes both. */
const editKeys = { elid: posInt.optional(), external_id: externalId.optional() };

type EditParams<S extends z.ZodRawShape> = z.output<z.ZodObject<S>> & {
  elid?: number;
  external_id?: string;
  sok?: true;
};

/**
 * A provisioning `.edit`: without `sok` the form (current values, or an empty one to create from),
 * with `sok=ok` a create (no `elid`) or an edit, remembering `external_id` when given.
 */
export function editFunction<S extends z.ZodRawShape, Row, N extends string>(def: {
  name: N;
  kind: Kind;
  what: string;
  fields: S;
  load(ctx: RunContext, id: number): Promise<Row | undefined>;
  form(ctx: RunContext, current: Row | undefined): Promise<FormResult>;
  save(ctx: RunContext, p: EditParams<S>, current: Row | undefined): Promise<number>;
}) {
  return defineFunction({
    name: def.name,
    access: ROOT,
    params: z.object({ ...editKeys, ...def.fields, sok: sok.optional() }),
    async run(ctx, raw) {
      const p = raw as EditParams<S>;
      const id = await editTarget(ctx.tx, def.kind, p);
      const current = id === undefined ? undefined : found(await def.load(ctx, id), def.what, id);
      if (!p.sok) return def.form(ctx, current);
      const saved = await def.save(ctx, p, current);
      await afterSave(ctx.tx, def.kind, saved, p.external_id);
      return { kind: 'ok', id: saved, tickets: [] };
    },
  });
}

/**
 * A provisioning `.delete`: objects with a past are disabled, never removed, so tickets, messages
 * and the audit log keep naming them. All or nothing for a group (`elid=1, 2`).
 */
export function disableFunction<Row, N extends string>(def: {
  name: N;
  what: string;
  load(ctx: RunContext, ids: number[]): Promise<(Row & { id: number })[]>;
  disable(ctx: RunContext, rows: (Row & { id: number })[]): Promise<void>;
}) {
  return defineFunction({
    name: def.name,
    access: ROOT,
    params: z.object({ elid: idList, sok: sok.optional() }),
    async run(ctx, { elid }) {
      const rows = await def.load(ctx, elid);
      const missing = elid.find((id) => !rows.some((r) => r.id === id));
      if (missing !== undefined)
        throw missed('elid', `${def.what} ${missing} does not exist`, String(missing));
      await def.disable(ctx, rows);
      return { kind: 'ok', tickets: [] };
    },
  });
}

/** An amount of money, zero allowed (a balance, a price); negative where `signed`. */
export const money = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount like 0, 25 or 25.50');
export const signedMoney = z
  .string()
  .trim()
  .regex(/^-?\d{1,10}(\.\d{1,2})?$/, 'must be an amount like 25.50 or -10');

/** The providers a department or account may belong to, for forms. */
export async function providerOptions(tx: Tx) {
  const rows = await tx
    .select({ id: providers.id, name: providers.name })
    .from(providers)
    .where(eq(providers.disabled, false))
    .orderBy(providers.id);
  return rows.map((r) => ({ key: String(r.id), label: r.name }));
}

/** With one provider, naming it is optional. */
export async function onlyProvider(tx: Tx): Promise<number> {
  const live = await tx
    .select({ id: providers.id })
    .from(providers)
    .where(eq(providers.disabled, false))
    .limit(2);
  const [only] = live;
  if (!only || live.length !== 1) throw missed('project', 'Parameter project (the provider) is required');
  return only.id;
}

/** The provider a department or account is put under: it must exist and not be deleted. */
export async function liveProvider(tx: Tx, id: number): Promise<void> {
  const [row] = await tx.select().from(providers).where(eq(providers.id, id));
  if (!row) throw missed('project', `Provider ${id} does not exist`, String(id));
  if (row.disabled) throw invalid('project', `Provider ${row.name} is deleted`, String(id));
}

export const posIntOrZero = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, 'must be a whole number, 0 or more')
  .transform(Number);

/** "a, b" → ['a', 'b']; `none` clears (an empty field is the same as an absent one). */
export const wordList = z
  .string()
  .transform((s) =>
    s.trim().toLowerCase() === 'none'
      ? []
      : s
          .split(',')
          .map((w) => w.trim())
          .filter(Boolean),
  )
  .refine((words) => words.every((w) => w.length <= 100), 'each entry must be at most 100 characters');
