import { ErrorCode, type FetchFunction, WebClient } from '@slack/web-api';
import type { SlackConfig } from '../config.ts';
import { log } from '../log.ts';
import { StartupError } from '../startup.ts';
import type { SlackStatus } from '../status.ts';
import { slackLogger } from './logger.ts';

/**
 * Answers that mean the token itself is wrong: a configuration error to fix, not an outage to wait
 * out (everything else — network, HTTP 5xx, `fatal_error`, rate limits — is retried).
 */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
  'team_disabled',
  'user_removed_from_team',
]);

/** A Slack token Slack refuses: a configuration error naming the variable that holds it. */
export class SlackTokenError extends StartupError {}

export interface ConnectOptions {
  /** Verifies the token was accepted and starts the front door (Slack.start). */
  start(): Promise<void>;
  fetch?: FetchFunction;
  /** A refused token; main.ts ends the process with it. */
  onTokenRefused(error: SlackTokenError): void;
  /** Tests shorten the backoff. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Brings Slack up beside the server instead of before it: checks the bot token with `auth.test`
 * (one attempt, no client-side retries), then starts the front door. While Slack is unreachable
 * the API, /healthz and scheduled work keep running, attempts repeat with a doubling delay (1 s up to
 * 5 min), and the state is what /healthz and /metrics report. A refused token is reported once
 * through `onTokenRefused`.
 */
export function connectSlack(config: SlackConfig, options: ConnectOptions) {
  const apiUrl = (config.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
  const checker = new WebClient(config.botToken, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: slackLogger('slack-connection'),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const firstDelay = options.firstDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 5 * 60_000;
  let status: SlackStatus = { state: 'connecting', since: new Date() };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;

  async function attempt(): Promise<void> {
    let step: 'auth.test' | 'start' = 'auth.test';
    try {
      const auth = await checker.auth.test();
      step = 'start';
      await options.start();
      status = { state: 'connected', since: new Date() };
      log.info('slack ready', {
        mode: config.appToken ? 'socket' : 'http',
        team: auth.team_id,
        botUser: auth.user_id,
        ...(failures > 0 ? { afterFailures: failures } : {}),
      });
    } catch (error) {
      if (stopped) return;
      const code = slackErrorCode(error);
      if (code && TOKEN_ERRORS.has(code)) {
        const variable = step === 'start' && config.appToken ? 'SLACK_APP_TOKEN' : 'SLACK_BOT_TOKEN';
        options.onTokenRefused(
          new SlackTokenError(
            `${variable}: Slack refused the token (${code}); put a valid ${variable === 'SLACK_BOT_TOKEN' ? 'bot token (xoxb-…)' : 'app-level token (xapp-…) with connections:write'} in ${variable}`,
            variable,
          ),
        );
        return;
      }
      failures++;
      const retryAfterMs = (error as { retryAfter?: number }).retryAfter;
      const delay = retryAfterMs
        ? retryAfterMs * 1000
        : Math.min(maxDelay, firstDelay * 2 ** Math.min(20, failures - 1));
      const reason = describe(error);
      status = {
        state: 'retrying',
        since: new Date(),
        error: reason,
        nextAttemptAt: new Date(Date.now() + delay),
      };
      (failures === 1 ? log.error : log.warn)('slack unreachable: serving without Slack, retrying', {
        url: step === 'auth.test' ? `${apiUrl}auth.test` : apiUrl,
        error: reason,
        attempt: failures,
        retryInSeconds: Math.round(delay / 1000),
      });
      timer = setTimeout(() => void attempt(), delay);
    }
  }

  return {
    /** Starts the first attempt; resolves when it has ended (connected, retrying or refused). */
    begin: () => attempt(),
    status: (): SlackStatus => status,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Slack's error code of a platform error (`invalid_auth`), if the error is one. */
function slackErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

/** The cause as an operator reads it: `ECONNREFUSED`, `HTTP 503`, `fatal_error`, `rate limited`. */
function describe(error: unknown): string {
  const e = error as {
    code?: string;
    statusCode?: number;
    original?: { cause?: { code?: string } };
    message?: string;
  };
  if (e.code === ErrorCode.HTTPError) return `HTTP ${e.statusCode}`;
  if (e.code === ErrorCode.RateLimitedError) return 'rate limited';
  if (e.code === ErrorCode.PlatformError) return slackErrorCode(error) ?? 'error';
  if (e.code === ErrorCode.RequestError) return e.original?.cause?.code ?? e.message ?? 'request failed';
  return e.message ?? String(error);
}
