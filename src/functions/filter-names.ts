import { and, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { escapeLike } from '../../db/like.ts';
import { clients, departments, staffDepartments, users } from '../../db/schema.ts';
import type { Session } from '../functions/types.ts';

/** Id → name maps, so views can show people names instead of database ids. */
export interface Names {
  clients: Map<number, string>;
  departments: Map<number, string>;
  staff: Map<number, string>;
}

const ids = (csv: string | undefined) =>
  (csv ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);

/** The names a saved queue filter refers to by id (client list, department, responsible). */
export async function filterNames(db: Db, filter: Record<string, string>): Promise<Names> {
  const want = {
    clients: ids(filter.client),
    departments: ids(filter.department),
    staff: ids(filter.responsible),
  };
  const pick = async (table: typeof clients | typeof departments | typeof users, list: number[]) =>
    list.length === 0
      ? new Map<number, string>()
      : new Map(
          (
            await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, list))
          ).map((r) => [r.id, r.name] as const),
        );
  return {
    clients: await pick(clients, want.clients),
    departments: await pick(departments, want.departments),
    staff: await pick(users, want.staff),
  };
}

/**
 * The clients a staff member may pick in a search (the filter's client select), by name or id:
 * roots every client, admins the clients of the providers whose departments they work.
 */
export async function clientChoices(db: Db, session: Session, query: string, limit = 100) {
  const q = query.trim();
  const match = or(
    /^\d+$/.test(q) ? eq(clients.id, Number(q)) : undefined,
    ilike(clients.name, `%${escapeLike(q)}%`),
  );
  const scope: SQL | undefined =
    session.level === 'root'
      ? undefined
      : sql`${clients.providerId} in (select ${departments.providerId} from ${departments} join ${staffDepartments} on ${staffDepartments.departmentId} = ${departments.id} where ${staffDepartments.userId} = ${session.userId})`;
  return db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(and(match, scope))
    .orderBy(asc(clients.name), asc(clients.id))
    .limit(limit);
}
