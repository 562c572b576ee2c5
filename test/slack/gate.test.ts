import { describe, expect, it } from 'vitest';
import { tickets } from '../../db/schema.ts';
import { firstOf } from '../helpers/rows.ts';
import { useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const commandFields = (text: string, team = h.fake.team) => ({
  command: '/ticket',
  text,
  user_id: 'UADMIN',
  team_id: team,
  channel_id: 'CSUPPORT',
  response_url: h.fake.responseUrl({ channel: 'CSUPPORT', user: 'UADMIN' }),
  trigger_id: 't',
});

describe('requests Slack would not send are refused before any listener', () => {
  it('a timestamp more than five minutes in the future gets 401, as a stale one does', async () => {
    const future = await h.signed.command(commandFields('help'), {
      timestamp: Math.floor(Date.now() / 1000) + 6 * 60,
    });
    expect(future.status).toBe(401);
    const slightlyAhead = await h.signed.command(commandFields('help'), {
      timestamp: Math.floor(Date.now() / 1000) + 60,
    });
    expect(slightlyAhead.status).toBe(200);
    expect(h.fake.of('response_url')).toHaveLength(1);
  });

  it('signed block_actions with actions null, or a view_submission without a view, are acknowledged cleanly', async () => {
    const base = {
      team: { id: h.fake.team },
      user: { id: 'UADMIN', team_id: h.fake.team },
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: 't',
    };
    for (const payload of [
      { ...base, type: 'block_actions', actions: null },
      { ...base, type: 'block_actions', actions: [null] },
      { ...base, type: 'view_submission' },
      { ...base, type: 'view_submission', view: null },
      { ...base, type: 'block_actions', user: null, actions: [{ action_id: 'card.close', value: '1' }] },
    ]) {
      const res = await h.signed.interaction(payload);
      expect(res.status, JSON.stringify(payload)).toBe(200);
    }
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('a command, button or event for another workspace does nothing', async () => {
    const id = await h.w.openTicket();
    const command = await h.signed.command(commandFields(String(id), 'T0FOREIGN'));
    expect(command.status).toBe(200);
    const click = await h.signed.interaction({
      type: 'block_actions',
      team: { id: 'T0FOREIGN' },
      user: { id: 'UADMIN', team_id: 'T0FOREIGN' },
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: 't',
      response_url: h.fake.responseUrl({ channel: 'CSUPPORT', user: 'UADMIN' }),
      channel: { id: 'CSUPPORT' },
      container: { type: 'message', message_ts: '1.1', channel_id: 'CSUPPORT' },
      actions: [{ type: 'button', action_id: 'card.close', value: String(id), action_ts: '1' }],
    });
    expect(click.status).toBe(200);
    const event = await h.signed.event({
      token: 'legacy',
      team_id: 'T0FOREIGN',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: 'EvForeign',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'UADMIN', tab: 'home' },
    });
    expect(event.status).toBe(200);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    const t = firstOf(await db.db.select().from(tickets));
    expect(t.status).toBe(0);
    // The same command from our workspace works.
    await h.signed.command(commandFields(String(id)));
    expect(h.fake.of('response_url')).toHaveLength(1);
  });
});
