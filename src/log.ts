import { pino } from 'pino';

/**
 * The structured log: one JSON line per event on stderr (pino), `{time, level, msg, ...fields}`.
 * Never pass secrets to it; the redaction below is the safety net for the names secrets travel under.
 */
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const SECRET_KEYS = [
  'password',
  'authinfo',
  'key',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'sid',
  'cookie',
  'authorization',
];

const logger = pino(
  {
    level: 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
  },
  // Synchronous: the one line a failed start-up writes must be out before process.exit.
  pino.destination({ fd: 2, sync: true }),
);

/** `silent` is for tests: their refusals and retries are asserted, not printed. */
export const setLogLevel = (level: Level) => {
  logger.level = level;
};

type Fields = Record<string, unknown>;

export const log = {
  debug: (msg: string, fields?: Fields) => logger.debug(fields ?? {}, msg),
  info: (msg: string, fields?: Fields) => logger.info(fields ?? {}, msg),
  warn: (msg: string, fields?: Fields) => logger.warn(fields ?? {}, msg),
  error: (msg: string, fields?: Fields) => logger.error(fields ?? {}, msg),
};
