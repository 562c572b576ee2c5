import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { departments, staffDepartments, type User, users } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { textColumn } from '../list-columns.ts';
import { type RunContext, STAFF } from '../types.ts';
import { disableFunction, editFunction } from './common.ts';
import { listFunction } from './lists.ts';
import { loadPerson, personColumns, personFields, personView, savePerson } from './people.ts';

/**
 * Staff (BILLmanager's `admin`): roots see and do everything, admins work their departments. The
 * list shows what the form does (`fieldsOf`).
 */
export const admin = listFunction(
  'admin',
  {
    table: users,
    joins: sql``,
    id: users.id,
    columns: {
      ...personColumns,
      level: textColumn(users.level),
      departments: textColumn(
        sql`coalesce((select string_agg(${staffDepartments.departmentId}::text, ', ' order by ${staffDepartments.departmentId})
          from ${staffDepartments} where ${staffDepartments.userId} = ${users.id}), '')`,
      ),
    },
  },
  inArray(users.level, STAFF),
);

const fieldsOf = (u: User, deps: number[]) => ({
  ...personView(u),
  level: u.level,
  departments: deps.join(', '),
});

/** Department ids, or `none`: the departments an admin works (roots work all). */
const departmentList = z
  .string()
  .transform((s) => (s.trim().toLowerCase() === 'none' ? [] : s.split(',').map((w) => w.trim())))
  .refine(
    (ids) => ids.every((id) => /^\d{1,9}$/.test(id)),
    'must be department ids separated by commas, or none',
  )
  .transform((ids) => [...new Set(ids.map(Number))]);

export const adminEdit = editFunction({
  name: 'admin.edit',
  kind: 'admin',
  what: 'Staff member',
  fields: {
    ...personFields,
    level: z.enum(['root', 'admin'], { message: 'must be root or admin' }).optional(),
    departments: departmentList.optional(),
  },
  load: staffMember,
  async form(ctx, current: User | undefined) {
    const all = await ctx.tx
      .select({ id: departments.id, name: departments.name })
      .from(departments)
      .where(eq(departments.disabled, false))
      .orderBy(departments.id);
    const worked = current ? ((await workedBy(ctx, [current.id])).get(current.id) ?? []) : [];
    return {
      kind: 'form',
      fields: current ? fieldsOf(current, worked) : { level: 'admin', password: false, departments: '' },
      options: {
        level: [
          { key: 'admin', label: 'admin: works the departments given' },
          { key: 'root', label: 'root: everything' },
        ],
        departments: all.map((d) => ({ key: String(d.id), label: d.name })),
      },
    };
  },
  async save(ctx, p, current) {
    const level = p.level ?? (current?.level as 'root' | 'admin' | undefined) ?? 'admin';
    if (current?.level === 'root' && level !== 'root') await keepARoot(ctx, [current.id]);
    const row = await savePerson(ctx, p, current, { level, clientId: null });
    if (p.departments) await setDepartments(ctx, row.id, p.departments);
    return row.id;
  },
});

/** Staff leave; their name stays on the tickets and messages they wrote. */
export const adminDelete = disableFunction({
  name: 'admin.delete',
  what: 'Staff member',
  load: (ctx, ids) =>
    ctx.tx
      .select()
      .from(users)
      .where(and(inArray(users.id, ids), inArray(users.level, STAFF))),
  async disable(ctx, rows) {
    const ids = rows.map((r) => r.id);
    if (ids.includes(ctx.session.userId)) throw invalid('elid', 'You cannot delete yourself');
    await keepARoot(ctx, ids);
    await ctx.tx.update(users).set({ disabled: true }).where(inArray(users.id, ids));
  },
});

async function staffMember(ctx: RunContext, id: number) {
  const row = await loadPerson(ctx, id);
  return row && row.level !== 'user' ? row : undefined;
}

async function workedBy(ctx: RunContext, ids: number[]): Promise<Map<number, number[]>> {
  const rows = ids.length
    ? await ctx.tx
        .select()
        .from(staffDepartments)
        .where(inArray(staffDepartments.userId, ids))
        .orderBy(staffDepartments.departmentId)
    : [];
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.departmentId]);
  return out;
}

async function setDepartments(ctx: RunContext, userId: number, ids: number[]): Promise<void> {
  const known = ids.length
    ? await ctx.tx.select({ id: departments.id }).from(departments).where(inArray(departments.id, ids))
    : [];
  const missing = ids.find((id) => !known.some((d) => d.id === id));
  if (missing !== undefined)
    throw missed('departments', `Department ${missing} does not exist`, String(missing));
  await ctx.tx.delete(staffDepartments).where(eq(staffDepartments.userId, userId));
  if (ids.length)
    await ctx.tx.insert(staffDepartments).values(ids.map((departmentId) => ({ userId, departmentId })));
}

/** Nobody could provision anything again without a root: the last one stays. */
async function keepARoot(ctx: RunContext, leaving: number[]): Promise<void> {
  const [other] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.level, 'root'), eq(users.disabled, false), notInArray(users.id, leaving)))
    .limit(1);
  if (!other) throw invalid('elid', 'At least one root must remain');
}
