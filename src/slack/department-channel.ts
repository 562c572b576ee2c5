import type { WebClient } from '@slack/web-api';
import { denied, TicketError } from '../functions/errors.ts';
import { refuseClientChannel, repostPayload } from '../functions/slack-setup/slack.channel.ts';
import { payloadOf } from '../jobs/payload.ts';
import type { Job } from '../jobs/queue.ts';
import { log } from '../log.ts';
import { departmentChannel, enqueueCards, enqueueSlackJob, repostBatch } from '../slack-store/card-moves.ts';
import {
  clientUsersAmong,
  departmentsIn,
  holdChannel,
  isHeld,
  releaseChannel,
  rootSlackIds,
} from '../slack-store/channel-holds.ts';
import type { SlackDeps } from './directory.ts';
import { retryIfRateLimited } from './job-client.ts';
import type { CardJobs } from './jobs.ts';
import { counted } from './views/labels.ts';
import { escapeText } from './views/mrkdwn.ts';

/** Cards re-posted per run of the `slack.repost` job, one run a minute: Slack's pace for posting. */
export const REPOST_PER_MINUTE = 10;
const REPOST_PACE_MS = 60_000;

/**
 * What makes a Slack user someone who must not read a department channel: a user linked to a
 * client account, someone from another organisation (Slack Connect) or a guest. Undefined for a
 * member of our own workspace who is no client (staff or not yet).
 */
async function outsider(
  env: SlackDeps,
  users: string[],
): Promise<{ user: string; what: string } | undefined> {
  const [client] = await clientUsersAmong(env.deps.db, users);
  if (client)
    return { user: String(client.slackUserId), what: `a user of client ${escapeText(client.client)}` };
  for (const user of users) {
    const profile = await env.directory.profile(user, `the Slack account of <@${user}>`);
    if (profile.external) return { user, what: 'from another organisation (Slack Connect)' };
    if (profile.guest) return { user, what: 'a guest of the workspace' };
  }
  return undefined;
}

/**
 * Cards and their threads show every client's tickets and internal notes, so a department channel
 * is a channel only staff read: not shared with another organisation, and no member who is a client
 * user, external or a guest (every member is asked of Slack). A channel that passes is no longer held.
 */
export async function requireStaffOnlyChannel(env: SlackDeps, channel: string): Promise<void> {
  await refuseClientChannel(env.deps.db, channel);
  if ((await env.directory.channel(channel)).externallyShared)
    throw denied(
      'channel',
      "This channel is shared with another organisation (Slack Connect): its people would read every client's tickets and internal notes. Department cards go to a channel only staff read.",
    );
  const found = await outsider(env, await env.directory.members(channel));
  if (found)
    throw denied(
      'channel',
      `<@${found.user}> (${found.what}) is a member of this channel and would read every card and internal note. Department cards go to a channel only staff read.`,
    );
  await releaseChannel(env.deps.db, channel);
}

/**
 * Holds a department channel someone must not read: nothing more is posted there (cards, threads)
 * and every root is told in a direct message, once per hold. `what` says what happened, `undo` what
 * to do about it.
 */
async function holdDepartmentChannel(
  env: SlackDeps,
  web: WebClient,
  channel: string,
  what: string,
  undo: string,
): Promise<void> {
  const departments = await departmentsIn(env.deps.db, channel);
  const [first] = departments;
  if (!first) return;
  if (!(await holdChannel(env.deps.db, channel, what, env.deps.now()))) return;
  const names = departments.map((d) => escapeText(d.name)).join(', ');
  const text =
    `${what} <#${channel}>, the channel of ${names}. I stopped posting ticket cards and threads there: they show every client's tickets and internal notes. ` +
    `${undo} and run \`/ticket channel ${first.id}\` in it to check it again, or choose another channel.`;
  for (const root of await rootSlackIds(env.deps.db)) {
    await web.chat
      .postMessage({ channel: root, text })
      .catch((e: unknown) => log.warn('could not tell a root about a held channel', { error: String(e) }));
  }
}

/**
 * Someone joined a department channel who must not read it: the channel is held. A join Slack
 * cannot tell us about (users.info fails) holds the channel too: it is safer to ask a root to check.
 */
export async function memberJoinedDepartmentChannel(
  env: SlackDeps,
  web: WebClient,
  channel: string,
  user: string,
): Promise<void> {
  if ((await departmentsIn(env.deps.db, channel)).length === 0) return;
  let what: string | undefined;
  try {
    what = (await outsider(env, [user]))?.what;
  } catch (error) {
    if (!(error instanceof TicketError)) throw error;
    what = 'could not be checked with Slack';
  }
  if (what)
    await holdDepartmentChannel(
      env,
      web,
      channel,
      `<@${user}> (${what}) joined`,
      'Remove them from the channel',
    );
}

/** A department channel was shared with another organisation (Slack Connect): the channel is held. */
export async function departmentChannelShared(
  env: SlackDeps,
  web: WebClient,
  channel: string,
): Promise<void> {
  await holdDepartmentChannel(
    env,
    web,
    channel,
    'Another organisation (Slack Connect) was given access to',
    'Stop sharing the channel',
  );
}

/**
 * The `slack.repost` job, queued when a department gets a channel: its open tickets' cards are moved
 * or posted there in batches (a card job each, REPOST_PER_MINUTE a minute), and the channel is told how
 * many once the last batch is through. Stops when the department has moved on to another channel.
 */
export async function repostDepartment({ web, deps }: CardJobs, job: Job): Promise<void> {
  const {
    departmentId,
    channel,
    posted,
    afterId,
    done,
    batch = REPOST_PER_MINUTE,
  } = payloadOf(job, repostPayload);
  const dep = await departmentChannel(deps.db, departmentId);
  if (dep?.channel !== channel || (await isHeld(deps.db, channel))) return;
  if (done) {
    if (posted === 0) return;
    await web.chat
      .postMessage({
        channel,
        text: `Cards of ${escapeText(dep.name)} now come here: posted ${counted(posted, 'open ticket')}. Closed and archived tickets were not posted.`,
      })
      .catch((error: unknown) => {
        retryIfRateLimited(error);
        log.warn('re-post summary not posted', { departmentId, error: String(error) });
      });
    return;
  }
  const ids = await repostBatch(deps.db, departmentId, channel, afterId, batch);
  await enqueueCards(deps, ids);
  await enqueueSlackJob(deps, {
    kind: 'slack.repost',
    dedupeKey: `repost:${departmentId}`,
    runAt: new Date(deps.now().getTime() + REPOST_PACE_MS),
    payload: {
      departmentId,
      channel,
      afterId: ids.at(-1) ?? afterId,
      posted: posted + ids.length,
      batch,
      ...(ids.length < batch ? { done: true } : {}),
    },
  });
}
