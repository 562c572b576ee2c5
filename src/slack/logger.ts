import { LogLevel } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import { log } from '../log.ts';

/**
 * Slack's libraries log through this into our JSON log. Their debug lines are dropped: they carry
 * request bodies (message text); the metered fetch of /metrics logs each call at debug instead.
 */
export function slackLogger(source: string): Logger {
  const line =
    (level: 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[level](msg.map(String).join(' '), { source });
  return {
    debug: () => {},
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
