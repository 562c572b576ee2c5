import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { slaWarnings } from '../../db/schema.ts';
import { digestFor } from '../../src/slack/scheduled/digest.ts';
import { useScheduleWorld } from './fixture.ts';

// Monday 2 March 11:00 in Berlin: a normal ticket opened now is due at 15:00 Berlin (14:00 UTC).
const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));
const texts = () => slack.posts().map((p) => String(p.text));

describe('a warning is sent once per ticket, deadline and stage', () => {
  it('settings saves under overdue tickets send nothing when nobody needs telling again', async () => {
    const ids = [await w.openTicket(), await w.openTicket({ name: 'Mail bounces' })];
    for (const id of ids) await w.card(id);
    await w.at('2026-03-02T14:30:00Z');
    expect(texts().filter((t) => t.includes('has passed'))).toHaveLength(2);
    const before = slack.posts().length;
    const save = async (values: Record<string, string>) => {
      await w.settings(w.as.root, w.ids.support.id, values);
      await w.drain();
    };
    // Deadline unchanged: a far holiday, the same values again.
    await save({ holidays: '2099-12-24' });
    await save({});
    // Deadlines move but stay passed: other working hours, another time zone.
    await save({ work_start: '08:00' });
    await save({ timezone: 'Europe/London' });
    // Only the stages change: the passed stages are not replayed.
    await save({ warning_stages: '30, 5, 0' });
    await w.at('2026-03-02T16:00:00Z');
    expect(slack.posts().slice(before)).toEqual([]);
  });

  it('a moved deadline sends only the stages still ahead; a passed one is announced once per wait', async () => {
    const id = await w.openTicket();
    await w.card(id);
    await w.at('2026-03-02T13:00:00Z');
    expect(texts()).toEqual([expect.stringContaining('1 h 00 min left')]);
    const move = async (time: string) => {
      await w.run(w.as.admin, 'ticket.edit', {
        elid: String(id),
        deadline_date: '2026-03-02',
        deadline_time: time,
        sok: 'ok',
      });
      await w.drain();
    };
    // 13:10 UTC: the deadline moves to 14:40 Berlin (13:40 UTC): its 60-minute stage is already behind.
    w.clock.set(new Date('2026-03-02T13:10:00Z'));
    await move('14:40:00');
    await w.at('2026-03-02T13:24:59Z');
    expect(texts()).toHaveLength(1);
    await w.at('2026-03-02T13:25:00Z');
    expect(texts().slice(1)).toEqual([
      expect.stringContaining('by Mon 2 Mar 14:40 (Europe/Berlin): 15 min left'),
    ]);
    // Moved into the past: the ticket is overdue, which nobody was told yet.
    w.clock.set(new Date('2026-03-02T13:30:00Z'));
    await move('14:28:00');
    expect(texts().slice(2)).toEqual([expect.stringContaining('has passed')]);
    // Moved again, still passed: they know.
    await move('14:29:00');
    await w.at('2026-03-02T15:00:00Z');
    expect(texts()).toHaveLength(3);
    expect(await db.db.select().from(slaWarnings).where(eq(slaWarnings.ticketId, id))).toHaveLength(3);
  });

  it('after downtime only the latest due stage goes out, worded for how late it is', async () => {
    const late = await w.openTicket();
    const soon = await w.openTicket({ name: 'Mail bounces', priority: '0' });
    // The workers were down from 10:00; they come back at 13:50 and 16:00.
    await w.at('2026-03-02T13:50:00Z');
    expect(texts()).toEqual([
      `:hourglass_flowing_sand: <@UANNA> Ticket #${late} “Server down” must be answered by Mon 2 Mar 15:00 (Europe/Berlin): 10 min left.`,
    ]);
    await w.at('2026-03-02T16:00:00Z');
    expect(texts().slice(1)).toEqual([
      `:rotating_light: <@UANNA> The response deadline of ticket #${late} “Server down” has passed: it was due Mon 2 Mar 15:00 (Europe/Berlin), overdue by 2 h 00 min.`,
    ]);
    // The low-priority ticket (due Tuesday) has had no stage due yet.
    expect(texts().join('\n')).not.toContain(`#${soon}`);
  });

  it('broadcast words from a client subject are broken in warnings, pages and digests', async () => {
    const id = await w.openTicket({ name: 'Down @here <!channel> @everyone', priority: '2' });
    await w.card(id);
    await w.drain();
    const { message } = await digestFor(w.deps, w.ids.support.id);
    const shown = [...texts(), JSON.stringify(message.blocks)];
    expect(shown).toEqual([
      expect.stringContaining(':hourglass_flowing_sand:'),
      expect.stringContaining('Press Ack'),
      expect.any(String),
    ]);
    for (const text of shown) {
      expect(text).toContain('@\u2060here &lt;!channel&gt; @\u2060everyone');
      expect(text).not.toMatch(/@(here|everyone)\b|<!channel>/);
    }
  });
});
