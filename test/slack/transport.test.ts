import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { useSlackHarness } from '../helpers/slack-harness.ts';

const { h, restart } = useSlackHarness();

const commandFields = (text: string) => ({
  command: '/ticket',
  text,
  user_id: 'UADMIN',
  team_id: 'T0OURS',
  channel_id: 'CSUPPORT',
  response_url: 'http://127.0.0.1:1/none',
  trigger_id: 't',
});

describe('Slack transport', () => {
  it('answers a signed slash command and replies through response_url', async () => {
    const res = await h.command('UADMIN', 'help');
    expect(res.status).toBe(200);
    expect(h.fake.last('response_url').params.text).toContain('/ticket new');
  });

  it('refuses a forged signature and a stale timestamp with 401, and runs nothing', async () => {
    const forged = await h.signed.command(commandFields('help'), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await h.signed.command(commandFields('help'), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    expect(h.fake.of('response_url')).toHaveLength(0);
  });

  it('answers url_verification', async () => {
    const res = await h.signed.event({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });

  it('acks at once when processing happens after the response (the production mode)', async () => {
    await restart({ processBeforeResponse: false });
    const started = Date.now();
    const res = await h.command('UADMIN', '');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect.poll(() => h.fake.of('response_url').length).toBe(1);
  });
});

describe('Slack configuration', () => {
  it('no Slack variable: no Slack', () => {
    expect(loadConfig({}).slack).toBeUndefined();
  });

  it('some but not all: names every missing one', () => {
    expect(() => loadConfig({ SLACK_API_URL: 'http://x/api/' })).toThrow(
      new ConfigError('Slack is partly configured: missing SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET'),
    );
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/missing SLACK_BOT_TOKEN$/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/missing SLACK_SIGNING_SECRET$/);
  });

  it('Socket Mode needs no signing secret; roots and department channels are read', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_ROOT_USERS: 'U1, U2',
      SLACK_DEPARTMENT_CHANNELS: '1=C1,2:C2',
    });
    expect(c.slack).toMatchObject({
      appToken: 'xapp-1',
      rootUsers: ['U1', 'U2'],
      departmentChannels: { 1: 'C1', 2: 'C2' },
    });
    expect(() =>
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        SLACK_DEPARTMENT_CHANNELS: 'support',
      }),
    ).toThrow(/DEPARTMENT_ID=CHANNEL_ID/);
  });
});
