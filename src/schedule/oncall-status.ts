import { eq } from 'drizzle-orm';
import { departments } from '../../db/schema.ts';
import { onCallAt } from '../domain/rotation.ts';
import { missed } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';
import { oncallMessage } from './views/oncall.ts';

/** `/ticket oncall`: who is on call in the department now and who is next, as a message to show. */
export async function onCallStatus(deps: Deps, departmentId: number) {
  const [dep] = await deps.db.select().from(departments).where(eq(departments.id, departmentId));
  if (!dep) throw missed('department', `Department ${departmentId} does not exist`, String(departmentId));
  const now = deps.now();
  const who = onCallAt(dep.oncall ?? null, now);
  return { ...who, message: oncallMessage(dep.name, dep.oncall ?? null, who, dep.calendar.timezone) };
}

/** The department whose cards go to a channel: what `/ticket oncall|digest` in that channel means. */
export async function departmentOfChannel(deps: Deps, channel: string): Promise<number | null> {
  const [dep] = await deps.db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.slackChannel, channel))
    .orderBy(departments.id)
    .limit(1);
  return dep?.id ?? null;
}
