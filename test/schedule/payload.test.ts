import { describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/queue.ts';
import { useScheduleWorld } from './fixture.ts';

const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));

describe('job payloads are parsed when the job is claimed', () => {
  it('a bad payload fails its job at once with what is wrong, and the worker goes on', async () => {
    const now = w.clock.now();
    await db.db.transaction(async (tx) => {
      const bad = { ticketId: 'seven', stage: 15 };
      await enqueue(tx, { kind: 'sla.warning', dedupeKey: 'bad-sla', runAt: now, payload: bad }, now);
      await enqueue(tx, { kind: 'oncall.settled', dedupeKey: 'bad-settled', runAt: now, payload: {} }, now);
      await enqueue(
        tx,
        { kind: 'digest.refresh', dedupeKey: 'good', runAt: now, payload: { departmentId: 1 } },
        now,
      );
    });
    await w.drain();
    const byKey = Object.fromEntries(
      [
        ...(await w.jobsOf('sla.warning')),
        ...(await w.jobsOf('oncall.settled')),
        ...(await w.jobsOf('digest.refresh')),
      ].map((j) => [j.dedupeKey, j]),
    );
    expect(byKey['bad-sla']).toMatchObject({ state: 'failed', attempts: 1 });
    expect(byKey['bad-sla']?.lastError).toMatch(/^Job \d+ \(sla\.warning\) has a bad payload: /);
    expect(byKey['bad-sla']?.lastError).toContain('ticketId');
    expect(byKey['bad-sla']?.lastError).toContain('deadline');
    expect(byKey['bad-settled']).toMatchObject({ state: 'failed', attempts: 1 });
    expect(byKey['bad-settled']?.lastError).toContain('escalationId');
    expect(byKey.good).toMatchObject({ state: 'done' });
    expect(slack.posts()).toEqual([]);
  });
});
