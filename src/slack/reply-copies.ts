import { replyPayload } from '../functions/effects.ts';
import { replyForClient } from '../functions/slack-setup/reply-recipients.ts';
import { payloadOf } from '../jobs/payload.ts';
import type { Job } from '../jobs/queue.ts';
import { log } from '../log.ts';
import { claimOnce, releaseClaim } from '../slack-store/dedupe.ts';
import { replyCopiesOf, saveReplyCopy } from '../slack-store/reply-copies.ts';
import { retryIfRateLimited } from './job-client.ts';
import type { CardJobs } from './jobs.ts';
import { MIRRORED_MS } from './mirror.ts';
import { isSlackError } from './reply-error.ts';
import { clientReplyBlocks, clientReplyText } from './views/client.ts';
import { replyCopy } from './views/reply-copy.ts';

/**
 * The `slack.reply` job: a staff reply reaches the client where they follow the ticket, once per
 * destination, and where it landed is kept so an edit or a hide can follow it.
 */
export async function deliverReply({ web, deps }: CardJobs, job: Job): Promise<void> {
  const { messageId } = payloadOf(job, replyPayload);
  const reply = await replyForClient(deps.db, messageId);
  if (!reply?.visible) return;
  for (const to of reply.to) {
    const key = `reply:${messageId}:${to}`;
    if (!(await claimOnce(deps.db, key, deps.now(), MIRRORED_MS))) continue;
    try {
      const posted = await web.chat.postMessage({
        channel: to,
        text: clientReplyText(reply),
        blocks: clientReplyBlocks(reply),
        unfurl_links: false,
        unfurl_media: false,
      });
      await saveReplyCopy(deps.db, {
        messageId,
        channel: String(posted.channel ?? to),
        ts: String(posted.ts),
      });
    } catch (error) {
      await releaseClaim(deps.db, key);
      retryIfRateLimited(error);
      throw error;
    }
  }
}

/**
 * A staff reply was edited or hidden: every copy the client received is updated in place, hidden
 * ones withdrawn. A copy Slack no longer has (deleted, channel gone) is left alone.
 */
export async function followReplyCopies({ web, deps }: CardJobs, messageId: number): Promise<void> {
  const copies = await replyCopiesOf(deps.db, messageId);
  if (copies.length === 0) return;
  const reply = await replyForClient(deps.db, messageId);
  if (!reply) return;
  const now = replyCopy(reply, reply.visible);
  for (const copy of copies) {
    try {
      await web.chat.update({ channel: copy.channel, ts: copy.ts, ...now });
    } catch (error) {
      retryIfRateLimited(error);
      if (
        !isSlackError(
          error,
          'message_not_found',
          'channel_not_found',
          'not_in_channel',
          'is_archived',
          'cant_update_message',
        )
      )
        throw error;
      log.warn('client copy of a reply not updated', { messageId, reason: String(error) });
    }
  }
}
