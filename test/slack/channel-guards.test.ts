import { eq } from 'drizzle-orm';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clients, departments, users } from '../../db/schema.ts';
import { createSlack } from '../../src/slack/slack-app.ts';
import { firstOf } from '../helpers/rows.ts';
import { SECRET, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const answer = () => h.fake.last('response_url').params as { text: string };
const channelOf = async (departmentId: number) =>
  firstOf(await db.db.select().from(departments).where(eq(departments.id, departmentId))).slackChannel;
const bindGlobex = () =>
  db.db.update(clients).set({ slackChannel: 'CGLOBEX' }).where(eq(clients.id, h.w.ids.globex.id));

describe('client channels and department channels stay apart', () => {
  it('/ticket channel is refused in a channel bound to a client', async () => {
    await bindGlobex();
    await h.command('UROOT', `channel ${h.w.ids.paid.id}`, { channel: 'CGLOBEX' });
    expect(answer().text).toContain('belongs to client Globex');
    expect(await channelOf(h.w.ids.paid.id)).not.toBe('CGLOBEX');
  });

  it('/ticket bind is for roots, and refused in a department channel', async () => {
    await h.command('UADMIN', 'bind globex', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('Only root');
    await h.command('UROOT', 'bind globex', { channel: 'CSUPPORT' });
    expect(answer().text).toContain('cards of department Support');
    const globex = firstOf(await db.db.select().from(clients).where(eq(clients.id, h.w.ids.globex.id)));
    expect(globex.slackChannel).toBeNull();
  });

  it('/ticket digest is refused in a client channel, with nothing posted there', async () => {
    await bindGlobex();
    await h.w.openTicket();
    await h.command('UADMIN', `digest ${h.w.ids.support.id}`, { channel: 'CGLOBEX' });
    expect(answer()).toMatchObject({ response_type: 'ephemeral' });
    expect(answer().text).toContain('belongs to a client');
    expect(h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'CGLOBEX')).toHaveLength(0);
  });

  it('SLACK_DEPARTMENT_CHANNELS pointing at a client channel is skipped at start-up; the rest applies', async () => {
    await bindGlobex();
    const slack = createSlack(
      h.w.deps,
      {
        botToken: 'xoxb-test',
        signingSecret: SECRET,
        apiUrl: h.fake.apiUrl,
        rootUsers: [],
        departmentChannels: { [h.w.ids.paid.id]: 'CGLOBEX', [h.w.ids.support.id]: 'CSTAFF' },
      },
      { expressApp: express(), retries: 0 },
    );
    // start() checks the token (auth.test), then applies the configuration.
    await slack.start();
    expect(await channelOf(h.w.ids.paid.id)).not.toBe('CGLOBEX');
    expect(await channelOf(h.w.ids.support.id)).toBe('CSTAFF');
  });
});

describe('when Slack cannot say who someone is', () => {
  it('a colleague in a client channel is refused, not made a client user; staff are refused too', async () => {
    await bindGlobex();
    h.fake.failNext('users.info', { error: 'fatal_error' });
    await h.command('UCOLL', '', { command: '/support', channel: 'CGLOBEX' });
    expect(answer().text).toContain('Slack could not tell us who you are');
    expect(await db.db.select().from(users).where(eq(users.slackUserId, 'UCOLL'))).toHaveLength(0);
    await h.command('UCOLL', '', { command: '/support', channel: 'CGLOBEX' });
    expect(answer().text).toContain('belongs to a client');

    h.fake.failNext('users.info', { error: 'fatal_error' });
    await h.command('UADMIN', '');
    expect(answer().text).toContain('Could not check your Slack account');
  });
});

describe('Slack Connect channels never receive staff work by accident', () => {
  it('/ticket channel and /ticket digest are refused in a channel another organisation shares', async () => {
    h.fake.shareChannel('CSHARED', ['T0OTHER']);
    await h.w.openTicket();
    await h.command('UROOT', `channel ${h.w.ids.paid.id}`, { channel: 'CSHARED' });
    expect(answer().text).toContain('shared with another organisation');
    expect(await channelOf(h.w.ids.paid.id)).not.toBe('CSHARED');
    await h.command('UADMIN', `digest ${h.w.ids.support.id}`, { channel: 'CSHARED' });
    expect(answer().text).toContain('shared with another organisation');
    // Only a root can insist, and must say so.
    await h.command('UADMIN', `digest ${h.w.ids.support.id} allow-external`, { channel: 'CSHARED' });
    expect(answer().text).toContain('Only root');
    expect(h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'CSHARED')).toHaveLength(0);
    // Department cards never go there, even when a root insists: clients would read internal notes.
    await h.command('UROOT', `channel ${h.w.ids.paid.id} allow-external`, { channel: 'CSHARED' });
    expect(answer().text).toContain('shared with another organisation');
    expect(await channelOf(h.w.ids.paid.id)).not.toBe('CSHARED');
    await h.command('UROOT', `digest ${h.w.ids.support.id} allow-external`, { channel: 'CSHARED' });
    expect(
      h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'CSHARED').length,
    ).toBeGreaterThan(0);
  });

  it('/ticket unbind undoes a binding; the last root cannot remove herself', async () => {
    h.fake.shareChannel('CGLOBEX', ['T0OTHER']);
    await h.command('UROOT', 'bind globex', { channel: 'CGLOBEX' });
    await h.command('UADMIN', 'unbind', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('Only root');
    await h.command('UROOT', 'unbind', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('no longer belongs to client Globex');
    const [globex] = await db.db.select().from(clients).where(eq(clients.id, h.w.ids.globex.id));
    expect(globex).toMatchObject({ slackChannel: null, slackTeam: null });
    await h.command('UROOT', 'unbind', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('not bound');

    await h.command('UROOT', 'staff remove <@UROOT|rita>');
    expect(answer().text).toContain('last root');
    const rita = firstOf(await db.db.select().from(users).where(eq(users.slackUserId, 'UROOT')));
    expect(rita.disabled).toBe(false);
    await h.command('UROOT', 'staff add <@UADMIN|adam> root');
    await h.command('UROOT', 'staff remove <@UROOT|rita>');
    expect(answer().text).toContain('no longer staff');
  });
});
