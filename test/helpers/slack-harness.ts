import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import express from 'express';
import { afterAll, beforeEach } from 'vitest';
import { departments, users } from '../../db/schema.ts';
import { createWorker } from '../../src/jobs/worker.ts';
import { createSlack } from '../../src/slack/slack-app.ts';
import type { TestDb } from './db.ts';
import { useTestDb } from './setup.ts';
import { startFakeSlack, TEST_TOKEN } from './slack-fake.ts';
import { slackClient } from './slack-signed.ts';
import { makeWorld } from './world.ts';

export const SECRET = 'test-signing-secret';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as Slack sends it back.
export type Json = any;

/**
 * The world of test/helpers/world.ts wired to Slack: root, admin and alice have Slack ids, the
 * Support department posts to #support, the real Bolt receiver is on a real HTTP server, and the
 * bot's Web API calls go to a fake Slack that records them. `schedule` adds the scheduled-work jobs
 * to the worker.
 */
export async function startSlackHarness(
  db: TestDb,
  opts: { processBeforeResponse?: boolean; schedule?: boolean } = {},
) {
  const w = await makeWorld(db.db);
  const fake = await startFakeSlack();
  const people = {
    root: { id: 'UROOT', name: 'Rita Root', tz: 'UTC' },
    admin: { id: 'UADMIN', name: 'Adam Admin', tz: 'Europe/Berlin' },
    alice: { id: 'UALICE', name: 'Alice Acme', team_id: 'T0ACME', is_stranger: true },
    stranger: { id: 'USTRANGER', name: 'Sam Stranger', team_id: 'T0OTHER', is_stranger: true },
    colleague: { id: 'UCOLL', name: 'Carl Colleague', tz: 'UTC' },
  };
  for (const p of Object.values(people)) fake.addUser(p);
  await db.db.update(users).set({ slackUserId: 'UROOT' }).where(eq(users.id, w.ids.root.id));
  await db.db.update(users).set({ slackUserId: 'UADMIN' }).where(eq(users.id, w.ids.admin.id));
  await db.db.update(users).set({ slackUserId: 'UALICE' }).where(eq(users.id, w.ids.alice.id));
  await db.db
    .update(departments)
    .set({ slackChannel: 'CSUPPORT' })
    .where(eq(departments.id, w.ids.support.id));

  const app = express();
  // One connection per request, as the Web API fake does (src/sandbox/web-api-server.ts says why): a
  // starved test process would otherwise reuse a socket the server is just closing ("fetch failed").
  app.use((_req, res, next) => {
    res.set('connection', 'close');
    next();
  });
  const slack = createSlack(
    w.deps,
    {
      botToken: TEST_TOKEN,
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      rootUsers: [],
      departmentChannels: {},
    },
    { expressApp: app, retries: 0, processBeforeResponse: opts.processBeforeResponse ?? true },
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // As main.ts does: the token is checked (auth.test) before Bolt handles requests.
  await slack.start();
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const signed = slackClient(endpoint, SECRET);
  // As main.ts does: with `schedule`, the one worker also runs SLA, on-call and digest jobs.
  const scheduled = opts.schedule ? slack.scheduledJobHandlers : {};
  const worker = createWorker(w.deps, { handlers: { ...slack.jobHandlers, ...scheduled }, maxAttempts: 3 });
  let n = 0;

  const user = (id: string) => ({
    id,
    username: id.toLowerCase(),
    team_id: id === 'UALICE' || id === 'USTRANGER' ? 'T0EXT' : fake.team,
  });
  /** An interaction as Slack posts it: the envelope every kind shares, then the kind's own fields. */
  const interaction = (type: string, userId: string, fields: (seq: number) => Json) => {
    n++;
    return signed.interaction({
      type,
      team: { id: fake.team },
      user: user(userId),
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: fake.trigger(userId),
      ...fields(n),
    });
  };

  return {
    w,
    db,
    fake,
    slack,
    signed,
    endpoint,
    people,
    /** A slash command as Slack posts it. */
    command(userId: string, text: string, opts: { command?: string; channel?: string } = {}) {
      n++;
      return signed.command({
        token: 'legacy',
        team_id: fake.team,
        channel_id: opts.channel ?? 'CSUPPORT',
        user_id: userId,
        user_name: userId.toLowerCase(),
        command: opts.command ?? '/ticket',
        text,
        api_app_id: 'A0APP',
        response_url: fake.responseUrl({ channel: opts.channel ?? 'CSUPPORT', user: userId }),
        trigger_id: fake.trigger(userId),
      });
    },
    /** Clicks a button of a message (card, ephemeral answer) or of a modal, as its blocks show it. */
    click(
      userId: string,
      blocks: Json[],
      actionId: string,
      where: { channel?: string; ts?: string; view?: Json } = {},
      value?: string,
    ) {
      const button = findElement(blocks, actionId, value);
      return interaction('block_actions', userId, () => ({
        ...(where.view
          ? { view: where.view, container: { type: 'view', view_id: where.view.id } }
          : {
              response_url: fake.responseUrl({
                channel: where.channel ?? 'CSUPPORT',
                user: userId,
                message: { ts: where.ts ?? '1.1', ephemeral: false },
              }),
              channel: { id: where.channel ?? 'CSUPPORT' },
              container: {
                type: 'message',
                message_ts: where.ts ?? '1.1',
                channel_id: where.channel ?? 'CSUPPORT',
              },
            }),
        actions: [{ ...button, block_id: button.block_id, action_ts: `${Date.now() / 1000}` }],
      }));
    },
    /** Submits a modal the bot opened, with values per input block (the element type inferred). */
    submit(userId: string, view: Json, values: Record<string, string | string[]>, viewId = 'V-submitted') {
      const state: Record<string, Record<string, Json>> = {};
      for (const block of view.blocks.filter((b: Json) => b.type === 'input')) {
        const v = values[block.block_id];
        const type = block.element.type;
        const value =
          type === 'plain_text_input'
            ? { type, value: v ?? null }
            : type === 'datepicker'
              ? { type, selected_date: v ?? null }
              : type === 'timepicker'
                ? { type, selected_time: v ?? null }
                : type === 'checkboxes' || type.startsWith('multi_')
                  ? { type, selected_options: (v === undefined ? [] : [v].flat()).map((x) => ({ value: x })) }
                  : {
                      type,
                      selected_option:
                        v === undefined ? (block.element.initial_option ?? null) : { value: v },
                    };
        state[block.block_id] = { [block.element.action_id]: value };
      }
      return interaction('view_submission', userId, () => ({
        view: { ...view, id: viewId, hash: 'h', state: { values: state } },
      }));
    },
    /** An Events API callback. */
    event(event: Json, eventId = `Ev${++n}`, headers: Record<string, string> = {}) {
      return signed.event(
        {
          token: 'legacy',
          team_id: fake.team,
          api_app_id: 'A0APP',
          type: 'event_callback',
          event_id: eventId,
          event_time: 1,
          event,
        },
        { headers },
      );
    },
    /** Runs due jobs until none is left. */
    async runJobs(): Promise<void> {
      for (let i = 0; i < 20 && (await worker.tick()) > 0; i++);
    },
    /** The view of the last views.open / views.update / views.push call. */
    lastView(method = 'views.update'): Json {
      return fake.last(method).params.view;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;

/** The element with this action_id (and value) anywhere in these blocks. */
export function findElement(blocks: Json[], actionId: string, value?: string): Json {
  for (const block of blocks ?? []) {
    const elements = block.type === 'actions' ? block.elements : block.accessory ? [block.accessory] : [];
    for (const e of elements) {
      if (e.action_id === actionId && (value === undefined || e.value === value))
        return { ...e, block_id: block.block_id };
    }
  }
  throw new Error(`no ${actionId}${value ? `=${value}` : ''} in blocks`);
}

/**
 * The Slack harness (startSlackHarness) on an emptied database before each test. `restart` does
 * the same mid-test with other options; the last harness is closed after the file.
 */
export function useSlackHarness(opts: Parameters<typeof startSlackHarness>[1] = {}) {
  const db = useTestDb();
  const h = {} as SlackHarness;
  let running = false;
  const stop = async () => {
    if (running) await h.close();
    running = false;
  };
  const restart = async (options = opts) => {
    await stop();
    await db.reset();
    Object.assign(h, await startSlackHarness(db, options));
    running = true;
  };
  beforeEach(() => restart());
  afterAll(stop);
  return { db, h, restart };
}
