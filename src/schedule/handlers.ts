import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { JobHandler } from '../jobs/worker.ts';
import { DIGEST_POST, DIGEST_REFRESH, digestPostHandler, digestRefreshHandler } from './digest.ts';
import { ONCALL_PAGE, ONCALL_SETTLED, oncallPageHandler, oncallSettledHandler } from './oncall.ts';
import { SLA_WARNING, slaWarningHandler } from './sla.ts';
import type { Slack } from './slack-out.ts';
import { alertWhenUndeliverable, UNDELIVERED, undeliveredHandler } from './undelivered.ts';

/** The job kinds of scheduled work, to merge with the Slack card jobs into the one worker. */
export function scheduleJobHandlers(slack: Slack): Record<string, JobHandler> {
  return {
    [SLA_WARNING]: alertWhenUndeliverable(slaWarningHandler(slack)),
    [ONCALL_PAGE]: alertWhenUndeliverable(oncallPageHandler(slack)),
    [DIGEST_POST]: alertWhenUndeliverable(digestPostHandler(slack)),
    [ONCALL_SETTLED]: oncallSettledHandler(slack),
    [DIGEST_REFRESH]: digestRefreshHandler(slack),
    [UNDELIVERED]: undeliveredHandler(slack),
  };
}

/** Without Slack there is nobody to warn: the jobs complete without effect instead of piling up as failed. */
export function scheduleJobsWithoutSlack(): Record<string, JobHandler> {
  const done: JobHandler = async () => {};
  return Object.fromEntries(
    [SLA_WARNING, ONCALL_PAGE, ONCALL_SETTLED, DIGEST_POST, DIGEST_REFRESH, UNDELIVERED].map((k) => [
      k,
      done,
    ]),
  );
}

/**
 * The Web API client for scheduled jobs: a rate limit fails the call at once (the job is retried at
 * Slack's Retry-After by the job table) instead of the client sleeping; a call that hangs times out,
 * since the worker's heartbeat would otherwise hold its job forever. `extra`: main.ts's logger and
 * metered fetch.
 */
export function scheduleSlackClient(token: string, apiUrl?: string, extra: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    ...extra,
    ...(apiUrl ? { slackApiUrl: apiUrl.replace(/\/?$/, '/') } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 30_000,
  });
}
