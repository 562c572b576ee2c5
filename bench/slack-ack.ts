import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import express from 'express';
import { departments, users } from '../db/schema.ts';
import type { Deps } from '../src/functions/types.ts';
import { startWebApi } from '../src/sandbox/web-api-server.ts';
import { ACTION, ticketValue } from '../src/slack/ids.ts';
import { createSlack } from '../src/slack/slack-app.ts';
import { ms, quantile, table } from './stats.ts';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const STAFF = 'UBENCHSTAFF';
const CHANNEL = 'CBENCH';

/** Signs a body as Slack does: v0= HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
function signed(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

const listen = (app: express.Express): Promise<Server> =>
  new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
const endpointOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/slack/events`;

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
 * requests/s, against a bare Bolt app that only acks: both on Bolt's ExpressReceiver on this machine,
 * signed requests, the bot's Web API calls to the sandbox's Slack Web API over real HTTP. The bot
 * acks first and then does its work, so its ack shares the CPU with the work of earlier requests; the
 * bot, the bare app and the load run in this one process (on PGlite the database is in it too).
 */
export async function benchAcks(
  deps: Deps,
  staffId: number,
  departmentId: number,
  ticketId: number,
  seconds = 5,
) {
  const web = await startWebApi({ token: TOKEN });
  web.addUser({ id: STAFF, name: 'Bench Staff', tz: 'UTC' });
  web.addChannel(CHANNEL, { members: ['UBOT', STAFF] });
  await deps.db.update(users).set({ slackUserId: STAFF }).where(eq(users.id, staffId));
  await deps.db.update(departments).set({ slackChannel: CHANNEL }).where(eq(departments.id, departmentId));

  const botApp = express();
  const slack = createSlack(
    deps,
    { botToken: TOKEN, signingSecret: SECRET, apiUrl: web.apiUrl, rootUsers: [], departmentChannels: {} },
    { expressApp: botApp, retries: 0 },
  );
  const botServer = await listen(botApp);
  await slack.start();

  const bareApp = express();
  const bare = new App({
    token: TOKEN,
    // Who the bot is, given: Bolt then never calls auth.test, and the bare app does nothing but ack.
    botId: 'BBOT',
    botUserId: 'UBOT',
    tokenVerificationEnabled: false,
    receiver: new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events', app: bareApp }),
  });
  bare.command('/ticket', async ({ ack }) => ack());
  bare.action(/.*/, async ({ ack }) => ack());
  const bareServer = await listen(bareApp);

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
        const bareMs = await atRate(endpointOf(bareServer), rate, seconds, body);
        const botMs = await atRate(endpointOf(botServer), rate, seconds, body);
        // The bot finishes the work it acked before the next cell starts (it shares this process).
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
    botServer.close();
    bareServer.close();
    await web.close();
  }
  return table(
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
}
