import { createHmac } from 'node:crypto';
import { ACTION, ticketValue } from '../src/slack/ids.ts';
import { spawnNode, stopChild } from './child.ts';
import { CHANNEL, type FakeSlack, SIGNING_SECRET, STAFF } from './fake-slack.ts';
import { ms, quantile, table } from './stats.ts';

/** Signs a body as Slack does: v0= HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
function signed(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

/** The bare Bolt app (bare-bolt.ts) in a child process: its Slack endpoint once it listens. */
async function startBareBolt(env: Record<string, string>) {
  const { child, died } = spawnNode(['--import', 'tsx', 'bench/bare-bolt.ts'], env);
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const found = /listening (\d+)/.exec(chunk.toString());
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', () => reject(died()));
  });
  return { endpoint: `http://127.0.0.1:${port}/slack/events`, stop: () => stopChild(child) };
}

/**
 * Requests sent at a fixed rate whatever the answers take (open loop, as Slack sends them): the
 * time from sending each signed request to its HTTP answer (the ack), sorted.
 */
async function atRate(endpoint: string, perSecond: number, seconds: number, body: () => string) {
  const count = perSecond * seconds;
  const start = performance.now();
  const latencies: Promise<number | undefined>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const text = body();
    const sent = performance.now();
    // A refused connection or an error answer is counted, not timed.
    latencies.push(
      fetch(endpoint, { method: 'POST', headers: signed(text), body: text }).then(
        async (res) => {
          await res.text();
          return res.status === 200 ? performance.now() - sent : undefined;
        },
        () => undefined,
      ),
    );
  }
  const all = await Promise.all(latencies);
  const timed = all.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  return { timed, failed: all.length - timed.length };
}

/** A quantile, or NaN when every request failed. */
const orNaN = (sorted: number[], q: number) => (sorted.length > 0 ? quantile(sorted, q) : Number.NaN);

/** Waits until `count` has not grown for two seconds (at most a minute). */
async function settled(count: () => number) {
  const until = performance.now() + 60_000;
  let last = -1;
  while (count() !== last && performance.now() < until) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * Ack latency of the bot's `/ticket` (the queue) and of a card button (favorite) at 50 and 100
 * requests/s, against a bare Bolt app that only acks. The load (signed requests, open loop) and the
 * fake Slack run in this process; the bot is the server's own Slack door (`botEndpoint`: the server
 * child on Postgres) and the bare app runs in a child of its own, so each is measured alone, as in
 * production, where Slack and its traffic are elsewhere. The bot acks first and then does its work,
 * so its ack shares the server's CPU with the work of earlier requests.
 */
export async function benchAcks(slack: FakeSlack, botEndpoint: string, ticketId: number, seconds = 5) {
  const { web, env } = slack;
  const before = web.calls.length;
  const bare = await startBareBolt(env);
  let n = 0;
  const command = () =>
    new URLSearchParams({
      token: 'legacy',
      team_id: web.team,
      channel_id: CHANNEL,
      user_id: STAFF,
      user_name: 'bench',
      command: '/ticket',
      text: '',
      api_app_id: 'A0BENCH',
      response_url: web.responseUrl({ channel: CHANNEL, user: STAFF }),
      trigger_id: web.trigger(STAFF),
    }).toString();
  // A different value each time: a repeated click within seconds is taken as a double click.
  const button = () => {
    n++;
    const payload = {
      type: 'block_actions',
      team: { id: web.team },
      user: { id: STAFF, username: 'bench', team_id: web.team },
      api_app_id: 'A0BENCH',
      token: 'legacy',
      trigger_id: web.trigger(STAFF),
      response_url: web.responseUrl({
        channel: CHANNEL,
        user: STAFF,
        message: { ts: '1.1', ephemeral: false },
      }),
      channel: { id: CHANNEL },
      container: { type: 'message', message_ts: '1.1', channel_id: CHANNEL },
      actions: [
        {
          type: 'button',
          action_id: ACTION.favorite,
          block_id: 'card',
          value: ticketValue(ticketId - (n % 1000)),
          action_ts: String(Date.now() / 1000),
        },
      ],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  };

  const rows: (string | number)[][] = [];
  try {
    for (const [label, body] of [
      ['`/ticket` (queue)', command],
      ['card button (favorite)', button],
    ] as const) {
      for (const rate of [50, 100]) {
        const bareMs = await atRate(bare.endpoint, rate, seconds, body);
        const botMs = await atRate(botEndpoint, rate, seconds, body);
        // The bot finishes the work it acked (its Web API calls) before the next cell starts.
        await settled(() => web.calls.length);
        const [b50, b99, o50, o99] = [
          orNaN(bareMs.timed, 0.5),
          orNaN(bareMs.timed, 0.99),
          orNaN(botMs.timed, 0.5),
          orNaN(botMs.timed, 0.99),
        ];
        rows.push([
          label,
          `${rate}/s`,
          ms(o50),
          ms(o99),
          ms(b50),
          ms(b99),
          `${(o50 / b50).toFixed(2)}×`,
          `${(o99 / b99).toFixed(2)}×`,
          `${botMs.failed} / ${bareMs.failed}`,
        ]);
      }
    }
  } finally {
    await bare.stop();
  }
  const calls = (from: number, to?: number) => {
    const counts = new Map<string, number>();
    for (const call of web.calls.slice(from, to)) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return [...counts].map(([method, count]) => `${method} ×${count}`).join(', ') || 'none';
  };
  const head = table(
    [
      'request',
      'rate',
      'bot ack p50',
      'p99',
      'bare Bolt p50',
      'p99',
      'p50 ratio',
      'p99 ratio',
      'failed bot / bare',
    ],
    rows,
  );
  // What the server asked of Slack: before the run (its start-up) and for the requests sent.
  return `${head}\n\nSlack Web API calls of the server before the run: ${calls(0, before)}; during it: ${calls(before)}.`;
}
