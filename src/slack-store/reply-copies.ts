import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { replyCopies } from '../../db/schema.ts';

export type ReplyCopy = typeof replyCopies.$inferSelect;

/** Remembers where a staff reply was delivered, so an edit or a hide can follow it there. */
export async function saveReplyCopy(db: Db, copy: ReplyCopy): Promise<void> {
  await db
    .insert(replyCopies)
    .values(copy)
    .onConflictDoUpdate({
      target: [replyCopies.messageId, replyCopies.channel],
      set: { ts: copy.ts },
    });
}

/** Every delivered copy of a message (DMs and the bound channel). */
export async function replyCopiesOf(db: Db, messageId: number): Promise<ReplyCopy[]> {
  return db.select().from(replyCopies).where(eq(replyCopies.messageId, messageId));
}
