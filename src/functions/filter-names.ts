import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clients, departments, users } from '../../db/schema.ts';

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
