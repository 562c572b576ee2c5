import { and, desc, eq, gt, max } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import { attachments, messages } from '../../db/schema.ts';
import { invalid } from '../functions/errors.ts';
import type { OkResult, Session } from '../functions/types.ts';
import type { UploadedFile } from './request.ts';

/** The functions that write a message, and so can carry `file_N` attachments. */
const WITH_MESSAGES = ['ticket.edit', 'clientticket.edit', 'ticket.message.edit'];

/** Files are accepted only with a submitted message; refused before anything is written. */
export function refuseStrayFiles(func: string, params: Record<string, string>, files: UploadedFile[]): void {
  const [file] = files;
  if (!file) return;
  const writesMessage =
    WITH_MESSAGES.includes(func) &&
    params.sok?.trim() &&
    (params.message?.trim() ||
      params.note_message?.trim() ||
      (func === 'ticket.message.edit' && params.elid));
  if (!writesMessage) {
    throw invalid(
      file.field,
      'Attachments go with a message: ticket.edit, clientticket.edit or ticket.message.edit with message and sok',
    );
  }
}

/** The newest message id before the call, to find the message the call creates. */
export async function newestMessageId(db: Db): Promise<number> {
  const [row] = await db.select({ last: max(messages.id) }).from(messages);
  return row?.last ?? 0;
}

/**
 * Stores the files with the message the call wrote: the id ticket.message.edit returns (or the
 * message it edited), otherwise the newest message the caller wrote in the ticket during the call
 * (the reply when a note and a reply were both sent). Functions run in their own transaction, so
 * the files are stored right after it; their size and count were checked before the call.
 */
export async function storeAttachments(
  db: Db,
  session: Session,
  func: string,
  params: Record<string, string>,
  result: OkResult,
  before: number,
  files: UploadedFile[],
): Promise<number | undefined> {
  let messageId: number | undefined;
  if (func === 'ticket.message.edit') {
    messageId = result.id ?? Number(params.elid);
  } else {
    const [written] = await db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.ticketId, result.id ?? one(result.tickets, 'written ticket')),
          eq(messages.authorId, session.userId),
          gt(messages.id, before),
        ),
      )
      .orderBy(desc(messages.id))
      .limit(1);
    messageId = written?.id;
  }
  if (!messageId) return undefined;
  await db.insert(attachments).values(
    files.map((f) => ({
      messageId: messageId as number,
      filename: f.filename,
      contentType: f.contentType,
      size: f.data.length,
      data: f.data,
    })),
  );
  return messageId;
}
