import { WebClient } from '@slack/web-api';
import { startFakeSlack as startSlack } from '../helpers/slack-fake.ts';

type Failure = { status: 429; retryAfter: number } | { error: string };

/**
 * The tests' one fake Slack (test/helpers/slack-fake.ts) seen as scheduled work sees it: the posts
 * and updates Slack accepted, failures to inject, and a client held the way the worker holds one.
 */
export async function startFakeSlack() {
  const fake = await startSlack();
  const accepted = (method: string) =>
    fake.calls.filter((c) => c.method === method && c.ok).map((c) => c.params);
  return {
    url: fake.apiUrl,
    fake,
    /** Posted messages (chat.postMessage), in order. */
    posts: () => accepted('chat.postMessage'),
    updates: () => accepted('chat.update'),
    failNext(method: string, ...f: Failure[]) {
      for (const x of f) fake.failNext(method, 'error' in x ? x : { rateLimited: x.retryAfter });
    },
    /** A client the way the worker should hold one: no client-side retries, rate limits rejected at once. */
    client: () =>
      new WebClient('xoxb-test', {
        slackApiUrl: fake.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      }),
    clear: fake.clear,
    close: fake.close,
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
