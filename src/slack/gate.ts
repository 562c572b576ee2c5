import {
  type AnyMiddlewareArgs,
  HTTPModuleFunctions,
  type Middleware,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { RequestHandler } from 'express';
import { log } from '../log.ts';
import type { Directory } from './directory.ts';

/** Slack's rule for request timestamps: within five minutes of now, either way. */
const SKEW_S = 300;

/**
 * Bolt refuses timestamps older than five minutes but not ones from the future, which a captured
 * request signed ahead of time could use. Runs before Bolt's receiver on the same path.
 */
export function refuseFutureTimestamps(): RequestHandler {
  return (req, res, next) => {
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts - Date.now() / 1000 > SKEW_S) {
      log.warn('slack request refused: timestamp in the future', { ts });
      res.status(401).send('');
      return;
    }
    next();
  };
}

type Body = {
  type?: string;
  team_id?: string;
  team?: { id?: string } | null;
  actions?: unknown;
  view?: unknown;
  user?: unknown;
};

/** The workspace a payload was sent for: events and commands name it flat, interactions as `team`. */
const payloadTeam = (body: Body) => body.team_id ?? body.team?.id;

/** What Bolt and the listeners rely on for each interaction kind. */
function malformed(body: Body): string | undefined {
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (body.type === 'block_actions' && !(Array.isArray(body.actions) && body.actions.every(isObj)))
    return 'block_actions without actions';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && !isObj(body.view))
    return `${body.type} without a view`;
  if (body.type && body.type !== 'event_callback' && !isObj(body.user)) return `${body.type} without a user`;
  return undefined;
}

/**
 * A signed payload missing what Slack always sends makes Bolt itself fail before any middleware
 * (it reads `actions[0]`, `user.id`, `view`): answered with an empty 200 instead of a 500.
 * Every other failure keeps Bolt's own answer.
 */
export async function answerMalformed(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const problem = malformed((args.request as { body?: Body }).body ?? {});
  if (!problem || args.response.headersSent) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  log.warn('slack payload refused', { problem });
  args.response.writeHead(200);
  args.response.end();
  return true;
}

/**
 * The first middleware: a malformed payload Bolt got past (`actions: [null]`) or one for another
 * workspace (this app serves the one its token belongs to) is answered with an empty ack and
 * reaches no listener.
 */
export function payloadGate(directory: Directory): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const ack = (args as { ack?: () => Promise<void> }).ack;
    const problem = malformed(body);
    if (problem) {
      log.warn('slack payload refused', { problem });
      return void (await ack?.());
    }
    const team = payloadTeam(body);
    const ours = await directory.team();
    if (team !== undefined && team !== ours) {
      log.warn('slack payload refused: another workspace', { team });
      return void (await ack?.());
    }
    await args.next();
  };
}
