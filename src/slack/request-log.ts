import { performance } from 'node:perf_hooks';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { log } from '../log.ts';

type Body = {
  type?: string;
  command?: string;
  user_id?: string;
  user?: { id?: string };
  actions?: { action_id?: string }[];
  view?: { callback_id?: string };
  callback_id?: string;
  event?: { type?: string; user?: string };
};

/** What a request from Slack is, by the names the routing table uses; never its text or values. */
function describeRequest(body: Body): { kind: string; name?: string; user?: string } {
  const user = body.user_id ?? body.user?.id ?? body.event?.user;
  if (body.command) return { kind: 'command', name: body.command, user };
  if (body.type === 'event_callback') return { kind: 'event', name: body.event?.type, user };
  if (body.type === 'block_actions') return { kind: 'action', name: body.actions?.[0]?.action_id, user };
  if (body.type === 'view_submission' || body.type === 'view_closed') {
    return {
      kind: body.type === 'view_submission' ? 'view' : 'view_closed',
      name: body.view?.callback_id,
      user,
    };
  }
  return { kind: body.type ?? 'unknown', name: body.callback_id, user };
}

/**
 * Bolt middleware: one log line per request from Slack (kind, command / action / callback / event,
 * user, outcome, duration of the whole handling, not only the ack) and a count for /metrics.
 */
export function requestLog(
  count?: (kind: string, outcome: 'ok' | 'error') => void,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const started = performance.now();
    const what = describeRequest(body as Body);
    let outcome: 'ok' | 'error' = 'error';
    try {
      await next();
      outcome = 'ok';
    } finally {
      count?.(what.kind, outcome);
      log.info('slack request', { ...what, outcome, ms: Math.round(performance.now() - started) });
    }
  };
}
