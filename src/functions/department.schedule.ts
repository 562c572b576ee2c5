import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { type Department, departments, tickets } from '../../db/schema.ts';
import { effectivePriority, OPEN_STATUSES, regulationDeadline } from '../domain/tickets.ts';
import { flatSettings, parseSettings, pickSettings } from './department-settings.ts';
import { ticketChanged } from './effects.ts';
import { missed } from './errors.ts';
import { posInt, sok } from './params.ts';
import { defineFunction, type RunContext } from './types.ts';

/**
 * Ours: a department's scheduled-work settings (regulation, calendar, warning stages, on-call, digest
 * time) as flat parameters (department-settings.ts). Without `sok` the form; with `sok` the given
 * settings change (an empty one switches off what it may), everything depending on them following in
 * the same transaction: computed deadlines of waiting tickets, their warnings, the next digest.
 * Parameters that are no setting are ignored, as the API passes its own along. Root only.
 */
export const departmentSchedule = defineFunction({
  name: 'department.schedule',
  access: ['root'],
  params: z.object({ elid: posInt, sok: sok.optional() }).catchall(z.string()),
  keepEmpty: true,
  async run(ctx, p) {
    const q = ctx.tx.select().from(departments).where(eq(departments.id, p.elid));
    const [before] = p.sok ? await q.for('update') : await q;
    if (!before) throw missed('elid', `Department ${p.elid} does not exist`, String(p.elid));
    if (!p.sok)
      return { kind: 'form', fields: { elid: before.id, name: before.name, ...flatSettings(before) } };
    const settings = parseSettings({ ...flatSettings(before), ...pickSettings(p) });
    const dep = one(
      await ctx.tx.update(departments).set(settings).where(eq(departments.id, before.id)).returning(),
      'department',
    );
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const deadlinesMoved = !same(before.regulation, dep.regulation) || !same(before.calendar, dep.calendar);
    if (deadlinesMoved || !same(before.warningStages, dep.warningStages))
      await rescheduleTickets(ctx, dep, deadlinesMoved);
    if (before.digestTime !== dep.digestTime || before.calendar.timezone !== dep.calendar.timezone)
      ctx.changes.digestMoved(dep.id);
    return { kind: 'ok', tickets: [] };
  },
});

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
    ctx.changes.replanWarnings(current);
  }
}
