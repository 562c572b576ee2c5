import { WebClient } from '@slack/web-api';
import type { Params } from '../../src/sandbox/web-api.ts';
import { startWebApi } from '../../src/sandbox/web-api-server.ts';

export type { SlackCall } from '../../src/sandbox/web-api-server.ts';
export type { SlackUser as FakeUser, StoredMessage } from '../../src/sandbox/workspace.ts';

/** The token the tests give the bot; any other is refused (invalid_auth). */
export const TEST_TOKEN = 'xoxb-test';

/**
 * The channels the tests post to, with the bot and the test people in each (test/helpers/slack-harness.ts,
 * test/schedule/fixture.ts). Slack refuses any other channel (channel_not_found).
 */
const TEST_CHANNELS = [
  'CSUPPORT',
  'C_SUPPORT',
  'C_PREMIUM',
  'CGLOBEX',
  'CACME',
  'CPAID',
  'CSTAFF',
  'CELSEWHERE',
  'CSHARED',
  'C1',
  'C2',
];
const MEMBERS = ['UBOT', 'UROOT', 'UADMIN', 'UALICE', 'USTRANGER', 'UCOLL'];

/**
 * The tests' one Slack: the sandbox's own Web API (src/sandbox) over real HTTP, as strict as Slack,
 * with the test workspace's channels and the token the tests give the bot. `now`: the workspace's
 * clock (message timestamps, rate-limit windows), for tests that move time.
 */
export async function startFakeSlack(opts: { team?: string; now?: () => Date } = {}) {
  const web = await startWebApi({ token: TEST_TOKEN, team: opts.team, now: opts.now });
  for (const id of TEST_CHANNELS) web.addChannel(id, { members: MEMBERS });
  const accepted = (method: string) => web.of(method).filter((c) => c.ok);
  let stopAfterPost = () => {};
  return Object.assign(web, {
    /** What the bot posted (chat.postMessage calls Slack accepted), in order. */
    posts: (): Params[] => accepted('chat.postMessage').map((c) => c.params),
    /** What the bot updated (chat.update calls Slack accepted), in order. */
    updates: (): Params[] => accepted('chat.update').map((c) => c.params),
    /** The ts Slack gave one of `posts()`. */
    messageTs: (post: Params): string | undefined => {
      const call = web.calls.find((c) => c.params === post);
      return call?.answer.ts === undefined ? undefined : String(call.answer.ts);
    },
    /** Runs once Slack has accepted each post, before the bot hears back; undefined to stop. */
    afterPost(fn: ((post: Params) => void) | undefined) {
      stopAfterPost();
      if (!fn) return;
      const stop = web.onCall((c) => {
        if (c.method === 'chat.postMessage' && c.ok) fn(c.params);
      });
      stopAfterPost = () => void stop();
    },
    /** A client the way the worker holds one: no client-side retries, rate limits rejected at once. */
    client: () =>
      new WebClient(TEST_TOKEN, {
        slackApiUrl: web.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      }),
  });
}

/** The Slack error code of a refused Web API call ('ok' when Slack accepted it). */
export const refused = (call: Promise<unknown>): Promise<string | undefined> =>
  call.then(
    () => 'ok',
    (e: { data?: { error?: string }; code?: string }) => e.data?.error ?? e.code,
  );

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
