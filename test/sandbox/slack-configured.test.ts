import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';
import { startServer } from './browser.ts';

/** With real Slack credentials the sandbox does not exist: no page, no API, no demo workspace. */
let slack: WebApi;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  // A Slack for the configured bot to check its token against (any Slack would do).
  slack = await startWebApi({ token: 'xoxb-real' });
  server = await startServer({
    SLACK_BOT_TOKEN: 'xoxb-real',
    SLACK_SIGNING_SECRET: 'real-secret',
    SLACK_API_URL: slack.apiUrl,
  });
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await slack?.close();
});

it('serves no sandbox page or API when Slack is configured', async () => {
  for (const path of ['', 'sandbox/assets/app.js', 'sandbox/api/screen?as=UANNA']) {
    expect((await fetch(`${server.url}${path}`)).status).toBe(404);
  }
  expect((await fetch(`${server.url}sandbox/api/clock`, { method: 'POST' })).status).toBe(404);
  expect((await fetch(`${server.url}healthz`)).status).toBe(200);
  expect(server.log()).not.toContain('sandbox');
  // The real bot is there: its events endpoint checks Slack's signature.
  expect((await fetch(`${server.url}slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);
});
