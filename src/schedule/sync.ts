import { eq } from 'drizzle-orm';
import { one } from '../../db/rows.ts';
import { departments, type Ticket } from '../../db/schema.ts';
import type { RunContext } from '../functions/types.ts';
import { digestTouched } from './digest.ts';
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
 * The scheduled work a ticket change moves, in the change's own transaction: SLA warnings follow the
 * deadline, on-call paging follows the priority, and the department's digest is refreshed.
 */
export async function scheduleTicketChanged(
  ctx: RunContext,
  before: Ticket | null,
  after: Ticket,
): Promise<void> {
  const { tx, now } = ctx;
  const dep = one(
    await tx.select().from(departments).where(eq(departments.id, after.departmentId)),
    'department',
  );
  if (!before || slaFingerprint(before) !== slaFingerprint(after))
    await rescheduleWarnings(tx, after, dep, now);
  if (!before || needsOnCall(before) || needsOnCall(after)) {
    const staff = ctx.session.level === 'user' ? ctx.session.suBy?.userId : ctx.session.userId;
    await syncEscalation(tx, after, dep, staff ?? null, now);
  }
  if (before && DIGEST_FIELDS.every((f) => sameValue(before[f], after[f]))) return;
  await digestTouched(tx, dep, now);
  if (before && before.departmentId !== after.departmentId) {
    const old = one(
      await tx.select().from(departments).where(eq(departments.id, before.departmentId)),
      'department',
    );
    await digestTouched(tx, old, now);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}
