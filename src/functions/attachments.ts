import { attachments } from '../../db/schema.ts';
import { invalid } from './errors.ts';
import type { Output, RunContext } from './types.ts';

/**
 * Stores the files sent with a call with the message the call wrote (`messageId` of its result), in
 * the call's own transaction: the files and the message commit together or not at all, and two
 * replies at once each keep their own. A call that wrote no message is refused with the files, so
 * nothing is dropped silently; their size and count were checked by the front door.
 */
export async function storeAttachments(ctx: RunContext, out: Output): Promise<void> {
  const files = ctx.attachments ?? [];
  const [first] = files;
  if (!first) return;
  const messageId = out.kind === 'ok' ? out.messageId : undefined;
  if (messageId === undefined) throw strayFiles(first.field);
  await ctx.tx.insert(attachments).values(
    files.map((f) => ({
      messageId,
      filename: f.filename,
      contentType: f.contentType,
      size: f.data.length,
      data: f.data,
    })),
  );
}

/** Files sent with a call that writes no message. */
export const strayFiles = (field: string) =>
  invalid(
    field,
    'Attachments go with a message: ticket.edit, clientticket.edit or ticket.message.edit with message and sok',
  );
