import { inArray } from 'drizzle-orm';
import { type Department, departments, type Ticket } from '../../../db/schema.ts';
import type { RunContext } from '../types.ts';
import type { TicketChange } from './changes.ts';
import { digestTouched, scheduleDigest } from './digest.ts';
import { needsOnCall, syncEscalation } from './oncall.ts';
import { rescheduleWarnings, slaFingerprint } from './sla.ts';

/** Fields the daily digest shows: a change to any of them refreshes today's digest. */
const DIGEST_FIELDS = [
  'name',
  'status',
  'priority',
  'highPriority',
  'deadline',
  'waitingSince',
  'responsibleId',
  'departmentId',
] as const;

/**
 * The scheduled work a call's changes move, planned once at the end of the call, in its transaction:
 * SLA warnings follow the deadline, on-call paging follows the priority, the departments' digests are
 * refreshed (or rescheduled when their time moved). Each department involved is read once.
 */
export async function planChanges(ctx: RunContext): Promise<void> {
  const { tx, now, changes } = ctx;
  const changed = [...changes.tickets.values()];
  if (changed.length === 0 && changes.digestsMoved.size === 0) return;
  const ids = new Set(changes.digestsMoved);
  for (const c of changed) for (const t of c.states) ids.add(t.departmentId);
  const rows = await tx
    .select()
    .from(departments)
    .where(inArray(departments.id, [...ids]));
  const byId = new Map(rows.map((d) => [d.id, d]));
  const dep = (id: number): Department => {
    const found = byId.get(id);
    if (!found) throw new Error(`department ${id} vanished during the call`);
    return found;
  };
  const staff = ctx.session.level === 'user' ? ctx.session.suBy?.userId : ctx.session.userId;
  const touched = new Set<number>();
  for (const c of changed) {
    const last = c.states[c.states.length - 1] ?? c.states[0];
    const replanned = c.replanWarnings ? last : lastWarningChange(c);
    if (replanned) await rescheduleWarnings(tx, replanned, dep(replanned.departmentId), now);
    if (c.states.length > 1 && c.states.some(needsOnCall))
      await syncEscalation(tx, c.states, (t) => dep(t.departmentId), staff ?? null, now);
    for (const [i, after] of c.states.entries()) {
      const before = c.states[i - 1];
      if (!before || DIGEST_FIELDS.every((f) => sameValue(before[f], after[f]))) continue;
      touched.add(after.departmentId);
      touched.add(before.departmentId);
    }
  }
  for (const id of touched) await digestTouched(tx, dep(id), now);
  for (const id of changes.digestsMoved) await scheduleDigest(tx, dep(id), now, true);
}

/** The state whose warnings stand: the last one whose deadline (or department) differed from the one before. */
function lastWarningChange(c: TicketChange): Ticket | undefined {
  for (let i = c.states.length - 1; i > 0; i--) {
    const [before, after] = [c.states[i - 1], c.states[i]];
    if (before && after && slaFingerprint(before) !== slaFingerprint(after)) return after;
  }
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}
