import { describe, expect, it } from 'vitest';
import { escalations } from '../../db/schema.ts';
import { TicketError } from '../../src/functions/errors.ts';
import { onCallStatus } from '../../src/slack/scheduled/oncall.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { useScheduleWorld } from './fixture.ts';

// Monday 2 March, 11:00 in Berlin: Anna's shift (09:00 to 09:00), Ben's from Tuesday.
const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));

// SLA warnings go to the same thread; the pages are the posts with an Ack button.
const pages = () => slack.posts().filter((p) => String(p.text).includes('Press Ack'));
const texts = () => pages().map((p) => String(p.text));
const escalationId = async () => firstOf(await db.db.select().from(escalations)).id;
const ackValue = (post: Record<string, unknown>) =>
  (nth(post.blocks as { elements?: { action_id: string; value: string }[] }[], 1).elements ?? [])[0];

describe('on-call paging', () => {
  it('a new high-priority ticket pages the on-call at once, escalates without Ack, and Ack stops the chain', async () => {
    const id = await w.openTicket({ priority: '2' });
    const card = await w.card(id);
    await w.drain();
    const esc = await escalationId();
    expect(pages()).toEqual([
      expect.objectContaining({ channel: 'C_SUPPORT', thread_ts: card, reply_broadcast: 'true' }),
    ]);
    expect(texts()[0]).toBe(
      `:rotating_light: <@UANNA> High-priority ticket #${id} “Server down” needs someone on call. Press Ack to take it.`,
    );
    expect(ackValue(firstOf(pages()))).toEqual(
      expect.objectContaining({ action_id: 'oncall_ack', value: String(esc) }),
    );
    await w.at('2026-03-02T10:09:59Z');
    expect(pages()).toHaveLength(1);
    await w.at('2026-03-02T10:10:00Z');
    expect(texts()[1]).toContain('<@UBACKUP> Escalation: nobody acknowledged high-priority');
    expect(texts()[1]).toContain('for 10 min');

    w.clock.set(new Date('2026-03-02T10:12:00Z'));
    expect(await w.ack(w.as.admin, esc)).toEqual({ taken: true, ticketId: id });
    expect(await w.ack(w.as.root, esc)).toEqual({ taken: false, ticketId: id, by: 'UADMIN' });
    await w.drain();
    expect(slack.updates().map((u) => [u.ts, u.text])).toEqual([
      [firstOf(pages()).ts ?? expect.anything(), expect.stringContaining('was taken by <@UADMIN>')],
      [expect.anything(), expect.stringContaining('was taken by <@UADMIN>')],
    ]);
    await w.at('2026-03-02T11:00:00Z');
    expect(pages()).toHaveLength(2);
  });

  it('raising a ticket later pages; the chain runs to its end and stops', async () => {
    const id = await w.openTicket();
    await w.drain();
    expect(pages()).toEqual([]);
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), high_priority: 'on', sok: 'ok' });
    await w.drain();
    // No card yet: the page goes to the department channel.
    expect(pages()[0]).toMatchObject({ channel: 'C_SUPPORT' });
    expect(firstOf(pages()).thread_ts).toBeUndefined();
    await w.at('2026-03-02T10:10:00Z');
    await w.at('2026-03-02T10:20:00Z');
    await w.at('2026-03-02T12:00:00Z');
    expect(texts().map((t) => t.split(' ')[1])).toEqual(['<@UANNA>', '<@UBACKUP>', '<!subteam^SLEADS>']);
    // Another change while it stays high does not page again.
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), name: 'Server still down', sok: 'ok' });
    await w.at('2026-03-02T13:00:00Z');
    expect(pages()).toHaveLength(3);
  });

  it('lowering the priority ends the paging; a staff reply counts as taking it', async () => {
    const low = await w.openTicket({ priority: '2' });
    await w.drain();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(low), priority: '1', sok: 'ok' });
    await w.at('2026-03-02T10:30:00Z');
    expect(pages()).toHaveLength(1);
    await expect(w.ack(w.as.admin, await escalationId())).rejects.toThrow('no longer needs on-call');

    slack.clear();
    const answered = await w.openTicket({ priority: '2' });
    await w.drain();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(answered), message: 'On it', sok: 'ok' });
    await w.at('2026-03-02T11:00:00Z');
    expect(pages()).toHaveLength(1);
    expect(slack.updates()).toEqual([
      expect.objectContaining({ text: expect.stringContaining('taken by <@UADMIN>') }),
    ]);
  });

  it('only staff can Ack', async () => {
    await w.openTicket({ priority: '2' });
    await w.drain();
    const error = await w.ack(w.as.alice, await escalationId()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TicketError);
    expect(error).toMatchObject({ type: 'access' });
    await expect(w.ack(w.as.admin, 9999)).rejects.toMatchObject({ type: 'missed' });
  });

  it('/ticket oncall: who is on call now and next, and the chain', async () => {
    const status = await onCallStatus(w.deps, w.ids.support.id);
    expect(status.current).toBe('UANNA');
    expect(status.next).toEqual({ target: 'UBEN', from: new Date('2026-03-03T08:00:00Z') });
    expect(status.message.text).toBe(
      [
        '*On call in Support now:* <@UANNA>',
        '*Next:* <@UBEN> from Tue 3 Mar 09:00 (Europe/Berlin)',
        '*Escalation* after 10 min without Ack, in turn: <@UBACKUP> → <!subteam^SLEADS>',
      ].join('\n'),
    );
    const none = await onCallStatus(w.deps, w.ids.paid.id);
    expect(none.message.text).toBe('Premium has no on-call target configured.');
  });
});
