import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

it('reads an empty variable (as .env.example leaves them) as unset', () => {
  const config = loadConfig({ METRICS_PORT: '', METRICS_TOKEN: '', DATABASE_URL: ' ', SLACK_BOT_TOKEN: '' });
  expect(config).toMatchObject({
    METRICS_PORT: undefined,
    METRICS_TOKEN: undefined,
    DATABASE_URL: undefined,
  });
  expect(config.slack).toBeUndefined();
  expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
});

it('refuses what could not work, naming the variable and never echoing the value', () => {
  const refused = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('accepted');
  };
  expect(refused({ DATABASE_URL: 'mysql://root:pw@db/x' })).toBe(
    'Invalid configuration: DATABASE_URL: must be a postgres:// or postgresql:// URL',
  );
  expect(refused({ DATABASE_URL: 'postgres//nohost' })).toMatch(/^Invalid configuration: DATABASE_URL/);
  expect(refused({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' })).toBe(
    'Invalid configuration: SLACK_BOT_TOKEN: must be a Slack token starting with xoxb-',
  );
  expect(refused({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' })).toContain('SLACK_APP_TOKEN');
  expect(refused({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN');
  expect(refused({ CLAIMS_RETENTION_DAYS: '1' })).toContain('CLAIMS_RETENTION_DAYS');
  expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@h:5432/d' }).DATABASE_URL).toBe(
    'postgresql://u:p@h:5432/d',
  );
});
