import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { claim } from '../../src/jobs/queue.ts';
import { useScheduleWorld } from './fixture.ts';

const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));

/** GET /metrics from the real app over HTTP. */
async function scrape(): Promise<string> {
  const server = createApp(w.deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    expect(res.status).toBe(200);
    return await res.text();
  } finally {
    server.close();
  }
}
const value = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${series} `))
      ?.split(' ')[1] ?? Number.NaN,
  );

describe('scheduled work in /metrics', () => {
  it('per kind: due, running, failed, retrying and retried, and how late jobs were taken up', async () => {
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    // The page fails for good (every post refused); the 60-minute warning is held by a busy worker.
    slack.breakChannel('C_SUPPORT', 'is_archived');
    await db.db.transaction((tx) => claim(tx, 'busy', w.clock.now(), 3_600_000, 100));
    w.clock.set(new Date('2026-03-02T10:00:02Z'));
    await w.openTicket({ priority: '2', name: 'Second' });
    // Taken 0.5 s after their planned time; retried 30 s, 1 min and 2 min later.
    await w.at('2026-03-02T10:00:02.5Z');
    let text = await scrape();
    expect(value(text, 'ticketops_jobs_retrying{kind="oncall.page"}')).toBe(1);
    for (const t of ['10:00:33', '10:01:33', '10:03:33']) await w.at(`2026-03-02T${t}Z`);
    text = await scrape();
    expect(value(text, 'ticketops_jobs_running{kind="oncall.page"}')).toBe(1);
    expect(value(text, 'ticketops_jobs_running{kind="sla.warning"}')).toBe(1);
    expect(value(text, 'ticketops_jobs_failed{kind="oncall.page"}')).toBe(1);
    expect(value(text, 'ticketops_jobs_failed{kind="sla.warning"}')).toBe(1);
    expect(value(text, 'ticketops_jobs_retried_total{kind="oncall.page"}')).toBeGreaterThanOrEqual(3);
    expect(
      value(text, 'ticketops_job_lateness_seconds_bucket{le="0.5",kind="sla.warning"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE ticketops_job_lateness_seconds histogram');
    expect(text).not.toMatch(/^ticketops_jobs_retrying\{/m);
    // Nothing is due while the worker keeps up; with nobody polling, the 15-minute warnings are.
    expect(text).not.toMatch(/^ticketops_jobs_due\{/m);
    w.clock.set(new Date('2026-03-02T10:45:03Z'));
    text = await scrape();
    expect(value(text, 'ticketops_jobs_due{kind="sla.warning"}')).toBe(2);
  });
});
