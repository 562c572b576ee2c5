import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { useApi } from '../helpers/api.ts';
import { openTestDb } from '../helpers/db.ts';

const { api } = useApi({}, { perFile: true });

const metricsOf = async (base: string) => {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};

it('GET /healthz says the database answers, and where Slack and the worker stand', async () => {
  const res = await fetch(`${api.base}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    status: 'ok',
    database: 'ok',
    slack: { state: 'not configured' },
    worker: { state: 'not started' },
  });
});

it('GET /metrics counts calls and latencies per function and errors per type, per app', async () => {
  await api.as('admin').json('ticket');
  await api.as('admin').xml('ticket');
  await api.as('alice').json('ticket');
  await api.json({ func: 'no.such.thing', auth: api.sids.admin });
  await api.json({ func: 'auth', username: 'admin', password: 'wrong' });
  const text = await metricsOf(api.base);
  expect(text).toContain('billmgr_requests_total{func="ticket",outcome="ok"} 2');
  expect(text).toContain('billmgr_requests_total{func="ticket",outcome="access"} 1');
  expect(text).toContain('billmgr_requests_total{func="unknown",outcome="missed"} 1');
  expect(text).toContain('billmgr_requests_total{func="auth",outcome="auth"} 1');
  expect(text).toContain('billmgr_errors_total{type="access"} 1');
  expect(text).toContain('billmgr_errors_total{type="auth"} 1');
  expect(text).toContain('billmgr_request_duration_seconds_count{func="ticket"} 3');
  expect(text).toMatch(/^process_cpu_seconds_total \d/m);

  // A second app in the same process has registries of its own.
  const other = createApp(api.w.deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => other.once('listening', resolve));
  try {
    const otherText = await metricsOf(`http://127.0.0.1:${(other.address() as AddressInfo).port}`);
    expect(otherText).not.toContain('billmgr_requests_total{');
    expect(otherText).toContain('# TYPE billmgr_requests_total counter');
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

it('only a broken server answers 5xx: a closed database gives 503 on /healthz and a 500 error document', async () => {
  const broken = await openTestDb();
  await broken.close();
  const app = createApp({ ...api.w.deps, db: broken.db }).listen(0, '127.0.0.1');
  await new Promise((resolve) => app.once('listening', resolve));
  const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  try {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const res = await fetch(`${base}/billmgr?func=ticket&auth=whatever&out=json`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      doc: { error: { $type: 'internal', $object: 'server', msg: { $: 'Internal error' } } },
    });
  } finally {
    await new Promise((resolve) => app.close(resolve));
  }
});
