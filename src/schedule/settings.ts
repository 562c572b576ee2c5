import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import { auditLog, type Department, departments, tickets } from '../../db/schema.ts';
import { effectivePriority, OPEN_STATUSES, regulationDeadline } from '../domain/tickets.ts';
import { ticketChanged } from '../functions/effects.ts';
import { denied, invalid, missed } from '../functions/errors.ts';
import type { Deps, RunContext, Session } from '../functions/types.ts';
import { scheduleDigest } from './digest.ts';
import { type FlatSettings, flatSettings, SETTINGS_FIELDS, settingsSchema } from './settings-params.ts';
import { rescheduleWarnings } from './sla.ts';

/** The department's settings as flat parameters (the settings form). Root only. */
export async function scheduleSettingsForm(deps: Deps, session: Session, departmentId: number) {
  rootOnly(session);
  const dep = await department(deps.db, departmentId);
  return { department: dep.name, values: flatSettings(dep) };
}

/**
 * Changes a department's regulation, calendar, warning stages, on-call and digest time from flat
 * parameters (only those given change). Everything depending on them follows in the same transaction:
 * computed deadlines of waiting tickets, their pending warnings, the next digest. Root only.
 */
export async function updateScheduleSettings(
  deps: Deps,
  session: Session,
  departmentId: number,
  raw: Partial<Record<string, string>>,
): Promise<void> {
  rootOnly(session);
  const unknown = Object.keys(raw).find((k) => !(SETTINGS_FIELDS as readonly string[]).includes(k));
  if (unknown) throw invalid(unknown, `Unknown setting ${unknown}`);
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const before = await department(tx, departmentId, true);
    const merged: FlatSettings = { ...flatSettings(before), ...(raw as Partial<FlatSettings>) };
    const parsed = settingsSchema.safeParse(merged);
    if (!parsed.success) {
      const issue = one(parsed.error.issues, 'zod issue');
      const field = String(issue.path[0] ?? 'settings');
      throw invalid(field, `${field} ${issue.message}`, merged[field as keyof FlatSettings]);
    }
    const dep = one(
      await tx.update(departments).set(parsed.data).where(eq(departments.id, departmentId)).returning(),
      'department',
    );
    await tx.insert(auditLog).values({
      at: now,
      actorId: session.userId,
      actor: session.login,
      via: session.via,
      func: 'department.schedule',
      params: { elid: String(departmentId), ...(raw as Record<string, string>) },
    });
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const deadlinesMoved = !same(before.regulation, dep.regulation) || !same(before.calendar, dep.calendar);
    if (deadlinesMoved || !same(before.warningStages, dep.warningStages))
      await rescheduleTickets({ tx, session, now, settings: deps.settings }, dep, deadlinesMoved);
    if (before.digestTime !== dep.digestTime || before.calendar.timezone !== dep.calendar.timezone)
      await scheduleDigest(tx, dep, now, true);
  });
}

/**
 * Waiting tickets of the department: regulation deadlines recomputed as a ticket change (the card and
 * the warnings follow), and warnings re-planned when only the stages changed.
 */
async function rescheduleTickets(ctx: RunContext, dep: Department, recompute: boolean): Promise<void> {
  const waiting = await ctx.tx
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.departmentId, dep.id),
        inArray(tickets.status, OPEN_STATUSES),
        isNotNull(tickets.waitingSince),
      ),
    )
    .for('update');
  for (const t of waiting) {
    let current = t;
    if (recompute && !t.deadlineManual && t.waitingSince) {
      const deadline = regulationDeadline(dep, effectivePriority(t), t.waitingSince);
      current = one(
        await ctx.tx.update(tickets).set({ deadline }).where(eq(tickets.id, t.id)).returning(),
        'ticket',
      );
      await ticketChanged(ctx, t, current);
    }
    // Idempotent after ticketChanged; needed on its own when only the stages changed.
    await rescheduleWarnings(ctx.tx, current, dep, ctx.now);
  }
}

function rootOnly(session: Session): void {
  if (session.level !== 'root') throw denied('department', 'Only root users can change department settings');
}

async function department(tx: Tx, id: number, lock = false): Promise<Department> {
  const q = tx.select().from(departments).where(eq(departments.id, id));
  const [dep] = lock ? await q.for('update') : await q;
  if (!dep) throw missed('elid', `Department ${id} does not exist`, String(id));
  return dep;
}
