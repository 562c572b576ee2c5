import { and, count, eq, inArray } from 'drizzle-orm';
import { one } from '../../../db/rows.ts';
import { type Calendar, departments, type Regulation, tickets } from '../../../db/schema.ts';
import { OPEN_STATUSES } from '../../domain/tickets.ts';
import { invalid, missed } from '../errors.ts';
import { flagColumn, intColumn, moneyColumn, textColumn } from '../list-columns.ts';
import { flag, posInt, text } from '../params.ts';
import {
  disableFunction,
  editFunction,
  liveProvider,
  money,
  onlyProvider,
  providerOptions,
} from './common.ts';
import { listFunction, providerJoin, providerName } from './lists.ts';

/** A new department answers within 8/4/1 hours by priority, weekdays 9 to 18 UTC; `/ticket settings` changes it. */
const DEFAULT_REGULATION: Regulation = { '0': 480, '1': 240, '2': 60 };
const DEFAULT_CALENDAR: Calendar = {
  timezone: 'UTC',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};

/** The list shows what the form does (`fieldsOf`), and the provider's name. */
export const department = listFunction('department', {
  table: departments,
  joins: providerJoin(departments.providerId),
  id: departments.id,
  columns: {
    id: intColumn(departments.id),
    name: textColumn(departments.name),
    project_id: intColumn(departments.providerId),
    staff_only: flagColumn(departments.staffOnly),
    paid_support: flagColumn(departments.paidSupport),
    incident_price: moneyColumn(departments.incidentPrice),
    slack_channel: textColumn(departments.slackChannel),
    disabled: flagColumn(departments.disabled),
    project: providerName,
  },
});

type Department = typeof departments.$inferSelect;

const fieldsOf = (d: Department) => ({
  id: d.id,
  name: d.name,
  project_id: d.providerId,
  staff_only: d.staffOnly,
  paid_support: d.paidSupport,
  incident_price: d.incidentPrice,
  slack_channel: d.slackChannel ?? undefined,
  disabled: d.disabled,
});

export const departmentEdit = editFunction({
  name: 'department.edit',
  kind: 'department',
  what: 'Department',
  fields: {
    name: text(200).optional(),
    project: posInt.optional(),
    staff_only: flag.optional(),
    paid_support: flag.optional(),
    incident_price: money.optional(),
  },
  load: async (ctx, id) => (await ctx.tx.select().from(departments).where(eq(departments.id, id)))[0],
  form: async (ctx, current: Department | undefined) => ({
    kind: 'form',
    fields: current ? fieldsOf(current) : { staff_only: false, paid_support: false, incident_price: '0' },
    options: { project: await providerOptions(ctx.tx) },
  }),
  async save(ctx, p, current) {
    const name = p.name ?? current?.name;
    if (!name) throw missed('name', 'Parameter name is required');
    const providerId = p.project ?? current?.providerId ?? (await onlyProvider(ctx.tx));
    await liveProvider(ctx.tx, providerId);
    const values = {
      name,
      providerId,
      staffOnly: p.staff_only ?? current?.staffOnly ?? false,
      paidSupport: p.paid_support ?? current?.paidSupport ?? false,
      incidentPrice: p.incident_price ?? current?.incidentPrice ?? '0',
      disabled: false,
    };
    if (values.paidSupport && /^0*(\.0*)?$/.test(values.incidentPrice))
      throw invalid('incident_price', 'A paid support department needs a price above zero');
    const rows = current
      ? await ctx.tx.update(departments).set(values).where(eq(departments.id, current.id)).returning()
      : await ctx.tx
          .insert(departments)
          .values({ ...values, regulation: DEFAULT_REGULATION, calendar: DEFAULT_CALENDAR })
          .returning();
    return one(rows, 'department').id;
  },
});

/** A department with open tickets is refused: they would sit where nobody looks. */
export const departmentDelete = disableFunction({
  name: 'department.delete',
  what: 'Department',
  load: (ctx, ids) => ctx.tx.select().from(departments).where(inArray(departments.id, ids)),
  async disable(ctx, rows) {
    const ids = rows.map((r) => r.id);
    const open = await ctx.tx
      .select({ id: tickets.departmentId, n: count() })
      .from(tickets)
      .where(and(inArray(tickets.departmentId, ids), inArray(tickets.status, OPEN_STATUSES)))
      .groupBy(tickets.departmentId);
    const [first] = open;
    if (first) {
      const dep = rows.find((r) => r.id === first.id) as Department;
      throw invalid(
        'elid',
        `Department ${dep.name} has ${first.n} open ticket(s); close them or move them to another department first`,
        String(dep.id),
      );
    }
    await ctx.tx.update(departments).set({ disabled: true }).where(inArray(departments.id, ids));
  },
});
