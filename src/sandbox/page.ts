import { fileURLToPath } from 'node:url';
import express from 'express';
import { z } from 'zod';
import { log } from '../log.ts';
import type { SandboxClock } from './clock.ts';
import type { SlackDelivery } from './deliver.ts';
import { PEOPLE } from './demo.ts';
import { screen } from './screen.ts';
import type { WebApi } from './web-api-server.ts';
import { SLACKBOT } from './workspace.ts';

const ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const SLASH = /^(\/[a-z][\w-]*)(?:\s+([\s\S]*))?$/;
const STEPS = { '15m': 15 * 60_000, '1h': 60 * 60_000 } as const;

const person = z.enum(PEOPLE.map((p) => p.id) as [string, ...string[]]);
const bodies = {
  send: z.object({
    as: person,
    channel: z.string(),
    text: z.string().min(1).max(40_000),
    thread_ts: z.string().optional(),
  }),
  action: z.object({
    as: person,
    action: z.record(z.string(), z.unknown()),
    channel: z.string().optional(),
    ts: z.string().optional(),
    ephemeral: z.boolean().optional(),
    view_id: z.string().optional(),
    values: z.record(z.string(), z.unknown()).optional(),
  }),
  submit: z.object({ as: person, view_id: z.string(), values: z.record(z.string(), z.unknown()) }),
  options: z.object({
    as: person,
    view_id: z.string(),
    block_id: z.string(),
    action_id: z.string(),
    value: z.string().max(500),
    values: z.record(z.string(), z.unknown()).optional(),
  }),
  close: z.object({ as: person, view_id: z.string() }),
  home: z.object({ as: person }),
  clock: z.object({ step: z.enum(['15m', '1h', 'morning']) }),
  ratelimit: z.object({ seconds: z.number().int().min(1).max(600) }),
};
/** What "Slack rate-limits the bot" limits: the calls behind cards, threads and alerts. */
const LIMITED = ['chat.postMessage', 'chat.update'];

/**
 * The sandbox page: GET / is a Slack-like client, /sandbox/api/* what it reads and does. A person's
 * act becomes a request to the bot exactly as Slack would send it (deliver.ts); the page learns of
 * every change in the workspace through a server-sent event stream and re-reads its screen.
 */
export function sandboxPage(web: WebApi, slack: SlackDelivery, clock: SandboxClock): express.Router {
  const ws = web.workspace;
  const router = express.Router();
  router.get('/', (_req, res) => res.sendFile('index.html', { root: ASSETS }));
  router.use('/sandbox/assets', express.static(ASSETS, { index: false, maxAge: 0 }));
  router.use('/sandbox/api', express.json({ limit: '1mb' }));

  router.get('/sandbox/api/screen', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const shown = screen(
      ws,
      { as: q.as ?? '', channel: q.channel, thread: q.thread, home: q.home === '1' },
      clock.now(),
    );
    if (!shown) return void res.status(404).json({ error: 'unknown person' });
    res.json(shown);
  });

  router.get('/sandbox/api/events', (req, res) => {
    res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    res.write('retry: 1000\n\n');
    const off = ws.onChange((change) => res.write(`data: ${JSON.stringify(change)}\n\n`));
    req.on('close', off);
  });

  /** Runs a page action; a malformed body is the page's bug, answered 400 with what is wrong. */
  const act = <S extends z.ZodType>(schema: S, work: (body: z.output<S>) => Promise<unknown>) =>
    (async (req, res) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues[0]?.message });
      try {
        res.json((await work(parsed.data)) ?? { ok: true });
      } catch (error) {
        log.warn('sandbox: request to the bot failed', { error: String(error) });
        res.json({ ok: false, error: 'dispatch_failed' });
      }
    }) as express.RequestHandler;

  router.post(
    '/sandbox/api/send',
    act(bodies.send, async (b) => {
      const channel = ws.channel(b.channel);
      if (!channel?.members.has(b.as)) return { ok: false, error: 'not_in_channel' };
      const slash = SLASH.exec(b.text.trim());
      if (!slash) return slack.message(b.as, channel, b.text, b.thread_ts);
      if (slash[1] !== '/ticket' && slash[1] !== '/support') {
        ws.postEphemeral({
          channel: channel.id,
          user: b.as,
          from: SLACKBOT,
          text: `${slash[1]} is not a valid command.`,
        });
        return;
      }
      const answer = await slack.command(b.as, channel, slash[1], slash[2] ?? '').catch(() => undefined);
      if (answer?.status !== 200) {
        const error = answer ? 'dispatch_failed' : 'operation_timeout';
        ws.postEphemeral({
          channel: channel.id,
          user: b.as,
          from: SLACKBOT,
          text: `${slash[1]} failed with the error "${error}"`,
        });
      }
    }),
  );

  router.post(
    '/sandbox/api/action',
    act(bodies.action, async (b) => {
      if (b.view_id) return slack.viewAction(b.as, b.view_id, b.values ?? {}, b.action);
      if (!b.channel || !b.ts || !ws.channel(b.channel)?.members.has(b.as))
        return { ok: false, error: 'not_in_channel' };
      await slack.messageAction(
        b.as,
        { channel: b.channel, ts: b.ts, ephemeral: b.ephemeral ?? false },
        b.action,
      );
    }),
  );
  router.post(
    '/sandbox/api/submit',
    act(bodies.submit, (b) => slack.submit(b.as, b.view_id, b.values)),
  );
  // An external_select opened or typed in: the app's options endpoint answers, as in Slack.
  router.post(
    '/sandbox/api/options',
    act(bodies.options, (b) =>
      slack.options(b.as, b.view_id, b.values ?? {}, {
        block_id: b.block_id,
        action_id: b.action_id,
        value: b.value,
      }),
    ),
  );
  router.post(
    '/sandbox/api/close',
    act(bodies.close, (b) => slack.close(b.as, b.view_id)),
  );
  router.post(
    '/sandbox/api/home',
    act(bodies.home, (b) => slack.homeOpened(b.as)),
  );
  router.post(
    '/sandbox/api/clock',
    act(bodies.clock, async (b) => {
      const now = b.step === 'morning' ? clock.nextBusinessMorning() : undefined;
      const at = now
        ? clock.advance(now.getTime() - clock.now().getTime())
        : clock.advance(STEPS[b.step as keyof typeof STEPS]);
      log.info('sandbox: clock moved', { to: at.toISOString() });
      ws.changed({ kind: 'channel' });
      return { ok: true, clock: at.toISOString() };
    }),
  );
  router.post(
    '/sandbox/api/ratelimit',
    act(bodies.ratelimit, async (b) => {
      for (const method of LIMITED) web.rateLimit(method, b.seconds);
      log.info('sandbox: Slack rate-limits the bot', { methods: LIMITED, seconds: b.seconds });
    }),
  );
  return router;
}
