import { TicketError } from '../functions/errors.ts';
import { log } from '../log.ts';
import { spoken } from './field-errors.ts';

/**
 * The one mapping from a refusal to what the Slack user sees. TicketErrors are the engine's own
 * sentences (parameter names spoken as people read them, field-errors.ts); anything else is our fault and is logged, and the user gets an apology, not a trace.
 */
export function errorText(error: unknown): string {
  if (error instanceof TicketError) return `:warning: ${spoken(error)}`;
  if (isSlackError(error, 'expired_trigger_id'))
    return ':hourglass: Slack took too long to open the dialog. Please try again.';
  log.error('slack handler failed', { error: error instanceof Error ? error.stack : String(error) });
  return ':x: Something went wrong on our side. The error is logged; please try again.';
}

/** Whether a Web API call failed with this Slack error code. */
export function isSlackError(error: unknown, ...codes: string[]): boolean {
  const data = (error as { data?: { error?: string } } | undefined)?.data;
  return typeof data?.error === 'string' && codes.includes(data.error);
}
