import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Status } from '../status.ts';

/**
 * The API's Prometheus series, in the app's registry: calls and latencies per function, errors per
 * type, logins and refusals, live sessions.
 */
export function createApiMetrics(registry: Registry, status: Status) {
  const registers = [registry];
  const requests = new Counter({
    name: 'billmgr_requests_total',
    help: 'BILLmanager API calls by function and outcome (ok or the error type)',
    labelNames: ['func', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'billmgr_request_duration_seconds',
    help: 'BILLmanager API call latency by function',
    labelNames: ['func'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const errors = new Counter({
    name: 'billmgr_errors_total',
    help: 'BILLmanager API error documents by error type',
    labelNames: ['type'] as const,
    registers,
  });
  const logins = new Counter({
    name: 'billmgr_logins_total',
    help: 'Password and key logins (func=auth, authinfo=) by outcome: ok, or refused (wrong, throttled, disabled)',
    labelNames: ['outcome'] as const,
    registers,
  });
  new Gauge({
    name: 'billmgr_sessions',
    help: 'API sessions used within the idle limit (shared by all replicas)',
    registers,
    async collect() {
      this.set(await status.sessions().catch(() => 0));
    },
  });
  return {
    /** Records one call; `outcome` is `ok` or the error type; `login` when it carried credentials. */
    observe(func: string, outcome: string, seconds: number, login = false) {
      requests.inc({ func, outcome });
      duration.observe({ func }, seconds);
      if (outcome !== 'ok') errors.inc({ type: outcome });
      if (login) logins.inc({ outcome: outcome === 'ok' ? 'ok' : 'refused' });
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
