import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Deps } from '../functions/types.ts';
import { registerJobMetrics } from '../schedule/metrics.ts';

/**
 * The API's Prometheus metrics in a registry of their own (one per app, so several apps can live in
 * one process, as tests make them): calls and latencies per function, errors per type.
 */
export function createApiMetrics(deps: Pick<Deps, 'db' | 'now'>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerJobMetrics(registry, deps);
  const requests = new Counter({
    name: 'billmgr_requests_total',
    help: 'BILLmanager API calls by function and outcome (ok or the error type)',
    labelNames: ['func', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'billmgr_request_duration_seconds',
    help: 'BILLmanager API call latency by function',
    labelNames: ['func'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'billmgr_errors_total',
    help: 'BILLmanager API error documents by error type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  return {
    registry,
    /** Records one call; `outcome` is `ok` or the error type. */
    observe(func: string, outcome: string, seconds: number) {
      requests.inc({ func, outcome });
      duration.observe({ func }, seconds);
      if (outcome !== 'ok') errors.inc({ type: outcome });
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
