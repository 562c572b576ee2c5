import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import type { SlackConfig } from '../config.ts';
import type { Deps } from '../functions/types.ts';
import type { SandboxClock } from './clock.ts';
import { slackDelivery } from './deliver.ts';
import { loadDemo, populateWorkspace } from './demo.ts';
import { sandboxPage } from './page.ts';
import { startWebApi } from './web-api-server.ts';

/**
 * The local Slack, used only when no Slack variable is set: a Slack-compatible Web API on loopback
 * for the real bot to call, and the page on `/` through which a visitor acts as Slack's people.
 * The bot itself is unchanged: the same Bolt app, configured with the sandbox's token and secret.
 */
export async function startSandbox(deps: Deps, clock: SandboxClock, app: express.Express) {
  const botToken = `xoxb-sandbox-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const web = await startWebApi({ token: botToken, team: 'T0SANDBOX', now: clock.now });
  populateWorkspace(web);
  let botUrl = '';
  const delivery = slackDelivery(web, signingSecret, () => botUrl);
  app.use(sandboxPage(web, delivery, clock));
  const slack: SlackConfig = {
    botToken,
    signingSecret,
    apiUrl: web.apiUrl,
    rootUsers: [],
    departmentChannels: {},
  };
  return {
    web,
    /** The bot's configuration: the sandbox's Web API, token and signing secret. */
    slack,
    /** Demo data wired to the workspace, on an empty database only. */
    loadDemo: () => loadDemo(deps),
    /** Once the server listens: where to send the bot Slack's requests; the page's URL. */
    listening(address: AddressInfo, host: string): string {
      const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      botUrl = `http://${local.includes(':') ? `[${local}]` : local}:${address.port}/slack/events`;
      return `http://${local === '127.0.0.1' ? 'localhost' : local}:${address.port}/`;
    },
    close: () => web.close(),
  };
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
