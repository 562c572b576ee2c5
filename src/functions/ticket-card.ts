import { eq } from 'drizzle-orm';
import { departments } from '../../db/schema.ts';
import { queueRows, ticketIdIn } from './queue-rows.ts';
import type { Deps, Row } from './types.ts';

/**
 * A ticket as its shared card in the department's channel shows it: the staff queue's row as no one
 * in particular sees it (no personal favorite or unread), whatever the ticket's status, and the
 * channel. A read for the card jobs, which act for nobody: whoever reads the card is staff of that
 * channel, and what each may do from it is checked when they call a function.
 */
export async function ticketCard(
  deps: Deps,
  ticketId: number,
): Promise<{ row: Row; channel: string | null } | undefined> {
  const [row] = await queueRows(
    { tx: deps.db, now: deps.now(), settings: deps.settings },
    null,
    ticketIdIn([ticketId]),
  );
  if (!row) return undefined;
  const [dep] = await deps.db
    .select({ channel: departments.slackChannel })
    .from(departments)
    .where(eq(departments.id, Number(row.department_id)));
  return { row, channel: dep?.channel ?? null };
}
