import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { tickets } from '../../db/schema.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

/** Times in Slack read in the viewer's zone, say "until", refuse the past, and carry the year when needed. */
const { db, h } = useSlackHarness();
let id: number;
let card: Json[];
const at = { channel: 'CSUPPORT', ts: '1.1' };
beforeEach(async () => {
  id = await h.w.openTicket();
  await h.runJobs();
  card = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params.blocks as Json[];
  h.fake.clear();
});

describe('times in Slack', () => {
  it('the lock reads "locked by X until 11:30" in the viewer\'s zone (Berlin), on the queue and the card', async () => {
    // 10:00 UTC: Rita opens the ticket and holds it for 30 minutes, until 10:30 UTC = 11:30 in Berlin.
    await h.w.run(h.w.as.root, 'ticket.edit', { elid: String(id) });
    await h.command('UADMIN', '');
    const queue = JSON.stringify(h.fake.last('response_url').params.blocks);
    expect(queue).toContain('locked by Rita Root until <!date^');
    expect(queue).toContain('{time}|11:30 (Europe/Berlin)>');
    await h.runJobs();
    const updated = JSON.stringify(h.fake.last('chat.update').params.blocks);
    // The shared card: Slack shows the time in each reader's zone.
    expect(updated).toMatch(/locked by Rita Root until <!date\^\d+\^\{time\}\|10:30 UTC>/);
  });

  it('a deadline in the past is refused in the Deadline modal with a clear field error', async () => {
    await h.click('UADMIN', card, 'card.deadline', at);
    const view = h.lastView();
    const res = await h.submit('UADMIN', view, { deadline_date: '2026-03-01', deadline_time: '12:00' });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { deadline_date: 'The deadline must be in the future' },
    });
    const [t] = await db.db.select().from(tickets).where(eq(tickets.id, id));
    expect(t?.deadlineManual).toBe(false);
    const later = await h.submit(
      'UADMIN',
      view,
      { deadline_date: '2026-03-02', deadline_time: '12:00' },
      'V-2',
    );
    expect(later.text).toBe('');
  });

  it('a deadline overdue since another year says the date, not only "2524 d"', async () => {
    await db.db
      .update(tickets)
      .set({ deadline: new Date('2019-05-01T12:00:00Z'), deadlineManual: true })
      .where(eq(tickets.id, id));
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '2', sok: 'ok' });
    await h.runJobs();
    const updated = JSON.stringify(h.fake.last('chat.update').params.blocks);
    expect(updated).toContain('overdue since 2019-05-01');
  });
});
