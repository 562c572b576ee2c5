import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import type { FetchFunction, WebClientOptions } from '@slack/web-api';
import type express from 'express';
import type { SlackConfig } from '../config.ts';
import { TicketError } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';
import { log } from '../log.ts';
import { setDepartmentChannel } from '../slack-store/cards.ts';
import { claimOnce, releaseClaim } from '../slack-store/dedupe.ts';
import { upsertStaff } from '../slack-store/identity.ts';
import { Directory, type SlackDeps } from './directory.ts';
import { answerMalformed, payloadGate, refuseFutureTimestamps } from './gate.ts';
import { jobClient } from './job-client.ts';
import { slackJobHandlers } from './jobs.ts';
import { registerListeners } from './listeners.ts';
import { slackLogger } from './logger.ts';
import { requestLog } from './request-log.ts';
import { scheduledJobHandlers } from './scheduled/handlers.ts';

/** Slack retries an event for about 6 minutes; its id is refused for a day (src/retention.ts keeps claims longer). */
const EVENT_MEMORY_MS = 24 * 60 * 60_000;

export interface SlackOptions {
  /** HTTP mode mounts POST /slack/events on this (the shared server). */
  expressApp: express.Express;
  /** Tests: no Web API retries. */
  retries?: number;
  /** Tests: answer HTTP only when the listener has finished, so a test sees its effects. */
  processBeforeResponse?: boolean;
  /** Every Web API call goes through this (main.ts: the metered fetch of /metrics). */
  fetch?: FetchFunction;
  /** Counts each request from Slack by kind and outcome (/metrics). */
  countRequest?: (kind: string, outcome: 'ok' | 'error') => void;
}

/**
 * The Slack front door. Over HTTP, Bolt's ExpressReceiver adds POST /slack/events to the shared
 * express app (commands, interactivity and events on one URL); with an app token, Socket Mode
 * instead, and no public URL is needed.
 */
export function createSlack(deps: Deps, config: SlackConfig, options: SlackOptions) {
  const slackApiUrl = config.apiUrl ? config.apiUrl.replace(/\/?$/, '/') : undefined;
  const clientOptions: WebClientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const logger = slackLogger('bolt');
  if (!config.appToken) options.expressApp.use('/slack/events', refuseFutureTimestamps());
  const receiver = config.appToken
    ? new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } })
    : new ExpressReceiver({
        signingSecret: config.signingSecret as string,
        endpoints: '/slack/events',
        app: options.expressApp,
        logger,
        processBeforeResponse: options.processBeforeResponse ?? false,
        processEventErrorHandler: answerMalformed,
      });
  const app = new App({
    token: config.botToken,
    receiver,
    logger,
    clientOptions,
    processBeforeResponse: options.processBeforeResponse ?? false,
    // The token is checked by start() (auth.test), not as the app is built: a failure there would be
    // an unhandled rejection, and the server must come up while Slack is unreachable.
    deferInitialization: true,
  });
  const env: SlackDeps = { deps, directory: new Directory(app.client) };

  app.use(requestLog(options.countRequest));
  app.use(payloadGate(env.directory));

  // Slack redelivers events it thinks were lost; their ids are claimed in the database, so a
  // retry (to this or another replica) is not applied twice, and a failed first try can be retried.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (!eventId) return next();
    const now = deps.now();
    const key = `event:${eventId}`;
    if (!(await claimOnce(deps.db, key, now, EVENT_MEMORY_MS))) {
      log.info('slack event already handled', { eventId });
      return;
    }
    try {
      await next();
    } catch (error) {
      await releaseClaim(deps.db, key);
      throw error;
    }
  });
  registerListeners(app, env);
  app.error(async (error) => {
    log.error('slack listener failed', { error: error.stack ?? String(error) });
  });

  // Jobs call Slack outside any request: rate limits come back as errors, retried by the job table.
  const jobWeb = jobClient(config.botToken, config.apiUrl, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger: slackLogger('jobs'),
  });

  return {
    app,
    env,
    mode: config.appToken ? ('socket' as const) : ('http' as const),
    /** Card, thread and reply jobs. */
    jobHandlers: slackJobHandlers(jobWeb, deps),
    /** SLA warnings, on-call pages, digests and alerts about them: on the same job client. */
    scheduledJobHandlers: scheduledJobHandlers(jobWeb),
    /**
     * Checks the bot token (auth.test: until then requests from Slack are refused), applies roots and
     * department channels from the configuration; then Socket Mode connects.
     */
    async start(): Promise<void> {
      await app.init();
      for (const slackUserId of config.rootUsers) {
        // The operator named these roots: a failed lookup only costs their display name.
        const profile = await env.directory
          .profile(slackUserId)
          .catch(() => ({ name: slackUserId, timezone: undefined }));
        await upsertStaff(deps.db, {
          slackUserId,
          name: profile.name,
          level: 'root',
          timezone: profile.timezone,
        });
      }
      for (const [departmentId, channel] of Object.entries(config.departmentChannels)) {
        try {
          if (!(await setDepartmentChannel(deps, Number(departmentId), channel))) {
            log.warn('SLACK_DEPARTMENT_CHANNELS names a department that does not exist', { departmentId });
          }
        } catch (error) {
          // A client's channel: skipped, the rest of the configuration still applies.
          if (!(error instanceof TicketError)) throw error;
          log.error('SLACK_DEPARTMENT_CHANNELS entry skipped', {
            departmentId,
            channel,
            reason: error.message,
          });
        }
      }
      if (config.appToken) await app.start();
    },
    async stop(): Promise<void> {
      if (config.appToken) await app.stop();
    },
  };
}

export type Slack = ReturnType<typeof createSlack>;
