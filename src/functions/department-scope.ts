import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { staffDepartments, tickets } from '../../db/schema.ts';
import { denied } from './errors.ts';
import type { Session } from './types.ts';

/**
 * Which tickets a staff member's queues show, as BILLmanager's department rights do: roots see every
 * department, admins the departments they work (`admin.edit` `departments`). A condition on
 * `tickets`, undefined when nothing is hidden. Client sessions are scoped by their own client.
 */
export function departmentScope(session: Session): SQL | undefined {
  if (session.level !== 'admin') return undefined;
  return sql`${tickets.departmentId} in (select ${staffDepartments.departmentId} from ${staffDepartments} where ${staffDepartments.userId} = ${session.userId})`;
}

/** Refuses a department outside the staff member's scope (digests and other per-department views). */
export async function requireDepartment(tx: Tx, session: Session, departmentId: number): Promise<void> {
  if (session.level !== 'admin') return;
  const [works] = await tx
    .select()
    .from(staffDepartments)
    .where(and(eq(staffDepartments.userId, session.userId), eq(staffDepartments.departmentId, departmentId)));
  if (!works) throw denied('department', `You do not work department ${departmentId}; ask a root to add you`);
}
