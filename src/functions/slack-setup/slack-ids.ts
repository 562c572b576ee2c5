import { z } from 'zod';
import { denied } from '../errors.ts';
import type { RunContext } from '../types.ts';

/** A channel id as Slack writes it: public (`C…`), private (`G…`). */
export const slackChannel = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id like C0123ABCD');

/** A Slack team (organisation) id: `T…`, or `E…` for an Enterprise Grid org. */
export const slackTeam = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[TE][A-Z0-9]{2,}$/, 'must be a Slack team id like T0123ABCD');

/** Login of an account made from Slack: stable and unique per Slack user. */
export const slackLogin = (slackUserId: string) => `slack-${slackUserId.toLowerCase()}`;

/**
 * The Slack user the caller is, as the Slack door verified it: the functions that link a Slack
 * account act on the caller's own, never on one a parameter names (the API has none to give).
 */
export function callerSlackUser(ctx: RunContext, object: string): string {
  const id = ctx.session.slackUserId;
  if (!id) throw denied(object, 'Only a Slack user can do this, from Slack');
  return id;
}
