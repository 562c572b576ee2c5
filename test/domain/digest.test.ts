import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestTicket } from '../../src/domain/digest.ts';
import { digestMessage } from '../../src/slack/views/digest.ts';

const now = new Date('2026-03-02T10:00:00Z');
const ticket = (id: number, deadlineMinutes: number): DigestTicket => ({
  id,
  name: `Ticket ${id}`,
  status: 0,
  priority: 1,
  highPriority: false,
  waitingSince: new Date(now.getTime() - 3_600_000),
  deadline: new Date(now.getTime() + deadlineMinutes * 60_000),
  premium: false,
  client: 'ACME',
  responsible: null,
});

describe('digest counts', () => {
  it('are the real counts, not the length of the short lists the digest shows', () => {
    // 13 overdue and 7 due later today (Berlin), more than the five each list shows.
    const open = [
      ...Array.from({ length: 13 }, (_, i) => ticket(i + 1, -10 - i)),
      ...Array.from({ length: 7 }, (_, i) => ticket(100 + i, 30 + i)),
    ];
    const digest = buildDigest(open, now, 'Europe/Berlin');
    expect(digest.counts).toEqual({ overdue: 13, dueToday: 7 });
    expect(digest.overdue).toHaveLength(5);
    const message = digestMessage('Support', digest, 'Europe/Berlin', now);
    expect(message.text).toContain('20 open, 13 overdue, 7 due today');
    expect(JSON.stringify(message.blocks)).toContain('*Overdue*\\n13');
  });
});
