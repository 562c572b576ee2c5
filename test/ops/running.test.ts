import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startFakeSlack } from '../helpers/slack-fake.ts';
import { flakyPort, startServer } from './server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticket-ops-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const METRICS_TOKEN = 'metrics-token-0123456789';

it('serves while Slack is unreachable, connects when it answers, logs each request, stops cleanly', async () => {
  const fake = await startFakeSlack();
  const slack = await flakyPort();
  const dataDir = join(dir, 'data');
  const server = startServer({
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: `http://127.0.0.1:${slack.port}/api/`,
    METRICS_TOKEN,
  });
  try {
    const base = await server.base();
    const down = await server.line((l) => l.msg.startsWith('slack unreachable'));
    expect(down).toMatchObject({ level: 'error', url: `http://127.0.0.1:${slack.port}/api/auth.test` });

    // The API and /healthz work without Slack; /healthz says what Slack is doing.
    const degraded = await (await fetch(`${base}/healthz`)).json();
    expect(degraded).toMatchObject({ status: 'degraded', database: 'ok', slack: { state: 'retrying' } });
    expect((await fetch(`${base}/billmgr?func=ticket&out=json`)).status).toBe(200);

    slack.up(Number(new URL(fake.url).port));
    await server.line((l) => l.msg === 'slack ready');
    await expect
      .poll(async () => (await fetch(`${base}/healthz`)).json(), { timeout: 10_000 })
      .toMatchObject({ status: 'ok', slack: { state: 'connected' }, worker: { state: 'running' } });

    // A refused login: one warning naming the login, never the password.
    const refused = await fetch(`${base}/billmgr?func=auth&username=nobody&password=hunter2&out=json`);
    expect(await refused.json()).toMatchObject({ doc: { error: { $type: 'auth' } } });
    const warning = await server.line((l) => l.msg === 'login refused');
    expect(warning).toMatchObject({
      level: 'warn',
      func: 'auth',
      login: 'nobody',
      status: 200,
      outcome: 'auth',
    });
    const request = await server.line((l) => l.msg === 'api request');
    expect(request).toMatchObject({ method: 'GET', route: '/billmgr', func: 'ticket', status: 200 });
    expect(request.ms).toEqual(expect.any(Number));

    // /metrics needs the token.
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/^slack_api_calls_total\{method="auth\.test",outcome="network_error"\} [1-9]/m);
    expect(metrics).toMatch(/^slack_api_calls_total\{method="auth\.test",outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^slack_connected 1$/m);
    expect(metrics).toMatch(/^billmgr_logins_total\{outcome="refused"\} 1$/m);
    expect(metrics).toMatch(/^db_up\{engine="pglite"\} 1$/m);
    expect(metrics).toMatch(/^worker_heartbeat_age_seconds \d/m);

    // Ctrl-C under `npm run dev` sends SIGINT twice (terminal and tsx watch): one clean stop.
    server.signal('SIGINT');
    server.signal('SIGINT');
    expect(await server.exited).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    server.onlyJson();
    expect(JSON.stringify(server.lines)).not.toContain('hunter2');
  } finally {
    await server.stop();
    await slack.close();
    await fake.close();
  }
}, 120_000);
