import { asc, count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { auditLog, clients, jobs, messages, tickets } from '../../db/schema.ts';
import { type ErrorType, TicketError } from '../../src/functions/errors.ts';
import type { FormResult, ListResult, OkResult, Result } from '../../src/functions/types.ts';
import { one } from '../helpers/rows.ts';

/** Awaits a call that must be refused and checks the refusal's type and object. */
export async function refused(call: Promise<unknown>, type: ErrorType, object: string): Promise<TicketError> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (error) {
    if (!(error instanceof TicketError)) throw error;
    expect({ type: error.type, object: error.object }).toEqual({ type, object });
    return error;
  }
  throw new Error(`expected a ${type} refusal on ${object}, got ${JSON.stringify(outcome)}`);
}

export function ok(r: Result): OkResult {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${r.kind}`);
  return r;
}
export function list(r: Result): ListResult {
  if (r.kind !== 'list') throw new Error(`expected a list, got ${r.kind}`);
  return r;
}
export function form(r: Result): FormResult {
  if (r.kind !== 'form') throw new Error(`expected a form, got ${r.kind}`);
  return r;
}

export async function ticketRow(db: Db, id: number) {
  return one(await db.select().from(tickets).where(eq(tickets.id, id)), 'ticket');
}
export async function clientRow(db: Db, id: number) {
  return one(await db.select().from(clients).where(eq(clients.id, id)), 'client');
}
export async function messagesOf(db: Db, ticketId: number) {
  return db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id));
}
export async function auditRows(db: Db) {
  return db
    .select({ actor: auditLog.actor, func: auditLog.func, ticketId: auditLog.ticketId, via: auditLog.via })
    .from(auditLog)
    .orderBy(asc(auditLog.id));
}

/** Row counts of what a write leaves behind, to show that a refusal left nothing. */
export async function footprint(db: Db) {
  const n = async (table: typeof auditLog | typeof jobs | typeof messages | typeof tickets) =>
    one(await db.select({ n: count() }).from(table)).n;
  return {
    audit: await n(auditLog),
    jobs: await n(jobs),
    messages: await n(messages),
    tickets: await n(tickets),
    rows: await db.select().from(tickets).orderBy(asc(tickets.id)),
    clients: await db.select().from(clients).orderBy(asc(clients.id)),
  };
}
