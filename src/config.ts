import { isIP } from 'node:net';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const port = z.coerce.number().int().min(0).max(65535);

/** A Slack token of one kind: caught here, a pasted signing secret or user token names its variable. */
const token = (prefix: string) =>
  optional.pipe(
    z
      .string()
      .regex(new RegExp(`^${prefix}-[A-Za-z0-9-]+$`), `must be a Slack token starting with ${prefix}-`)
      .optional(),
  );

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: optional.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** /metrics on a port of its own (e.g. reachable only inside the cluster) instead of PORT. */
  METRICS_PORT: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), port.optional()),
  /** /metrics answers only with `Authorization: Bearer <token>`. */
  METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /**
   * Jobs one process runs at once (src/jobs/worker.ts); one ticket's jobs still run one at a time.
   * 8 in flight carry about 30 Slack posts a second at 250 ms a call, the most 30 channels take. A
   * 429 spends no attempt (it postpones the job to Retry-After and closes a slot meanwhile), so
   * running more meets more refusals but loses nothing (bench/sla-lateness.ts, BENCHMARKS.md).
   */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** Done and cancelled jobs are deleted this many days after they last changed. */
  JOBS_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  /** Slack claim rows (event ids, clicks, mirrored messages) are deleted after this many days; the longest claim window is 2 days. */
  CLAIMS_RETENTION_DAYS: z.coerce.number().int().min(2).default(3),
  /** BILLmanager API: a session ends after this many idle minutes. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /** BILLmanager API: a session ends this many hours after login, however busy. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(24),
  /**
   * Which proxies in front of the server to believe about the client (X-Forwarded-For, for login
   * throttling per address) and about TLS (X-Forwarded-Proto, for the Secure cookie).
   */
  TRUST_PROXY: optional.transform((v, ctx) => {
    const trust = trustProxy(v);
    if (trust === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be true, false, a number of proxies, or addresses/subnets (loopback, linklocal, uniquelocal, 10.0.0.0/8, …)',
      });
    }
    return trust ?? false;
  }),
  /** BILLmanager API: the largest request body in bytes (parameters and attachments together). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  SLACK_BOT_TOKEN: token('xoxb'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: token('xapp'),
  SLACK_API_URL: optional.pipe(z.url().optional()),
  SLACK_ROOT_USERS: optional,
  SLACK_DEPARTMENT_CHANNELS: optional,
});

/**
 * TRUST_PROXY as express takes it: `true` (any proxy: only when the server is reachable only through
 * the proxy), a number of proxy hops, or the proxies' addresses and subnets; undefined when invalid.
 */
function trustProxy(value: string | undefined): boolean | number | string[] | undefined {
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const names = ['loopback', 'linklocal', 'uniquelocal'];
  const list = value.split(/[\s,]+/).filter(Boolean);
  const valid = list.every((item) => {
    if (names.includes(item)) return true;
    const [address = '', bits, ...rest] = item.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    return (
      family !== 0 &&
      rest.length === 0 &&
      (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits))
    );
  });
  return valid ? list : undefined;
}

export type Config = z.output<typeof schema> & { slack?: SlackConfig };

/** Reads the environment once; the only place that looks at process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return { ...parsed.data, slack: slackConfig(parsed.data) };
}

/** How the Slack front door runs; absent when no Slack variable is set. */
export interface SlackConfig {
  botToken: string;
  /** Required over HTTP; Socket Mode does not sign requests. */
  signingSecret?: string;
  /** Set: Socket Mode instead of HTTP. */
  appToken?: string;
  apiUrl?: string;
  /** Slack user ids made root accounts at start-up. */
  rootUsers: string[];
  /** Department id → channel id, applied to departments at start-up. */
  departmentChannels: Record<number, string>;
}

/** Every variable Slack needs is named when some are set and others missing, so one restart fixes all. */
function slackConfig(env: z.output<typeof schema>): SlackConfig | undefined {
  const keys = Object.keys(env).filter((k) => k.startsWith('SLACK_')) as (keyof typeof env)[];
  if (keys.every((k) => env[k] === undefined)) return undefined;
  const needed = ['SLACK_BOT_TOKEN', env.SLACK_APP_TOKEN ? undefined : 'SLACK_SIGNING_SECRET'] as const;
  const missing = needed.filter((k) => k !== undefined && env[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Slack is partly configured: missing ${missing.join(', ')}`);
  }
  const channels: Record<number, string> = {};
  for (const pair of (env.SLACK_DEPARTMENT_CHANNELS ?? '').split(',').filter((p) => p.trim())) {
    const [, department, channel] = /^\s*(\d+)\s*[=:]\s*([A-Z0-9]+)\s*$/.exec(pair) ?? [];
    if (!department || !channel) {
      throw new ConfigError(
        `SLACK_DEPARTMENT_CHANNELS: "${pair.trim()}" is not DEPARTMENT_ID=CHANNEL_ID (e.g. 1=C0123ABCD)`,
      );
    }
    channels[Number(department)] = channel;
  }
  return {
    botToken: env.SLACK_BOT_TOKEN as string,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    apiUrl: env.SLACK_API_URL,
    rootUsers: (env.SLACK_ROOT_USERS ?? '').split(/[\s,]+/).filter(Boolean),
    departmentChannels: channels,
  };
}

export class ConfigError extends Error {}
