import { TicketError } from '../functions/errors.ts';
import { log } from '../log.ts';

/**
 * The one mapping from a refusal to what the Slack user sees. TicketErrors are the engine's own
 * sentences; anything else is our fault and is logged, and the user gets an apology, not a trace.
 */
export function errorText(error: unknown): string {
  if (error instanceof TicketError) return `:warning: ${error.message}`;
  if (isSlackError(error, 'expired_trigger_id'))
    return ':hourglass: Slack took too long to open the dialog. Please try again.';
  log.error('slack handler failed', { error: error instanceof Error ? error.stack : String(error) });
  return ':x: Something went wrong on our side. The error is logged; please try again.';
}

/**
 * A TicketError as modal field errors (`response_action: errors`), on the input block named after
 * the parameter it concerns (`aliases` maps parameters filled by a differently named input). When
 * no input fits, the first input carries it, so the user always sees why the modal stayed open. A
 * refusal of several fields (`error.fields`) puts each field's sentence on its own input.
 */
export function fieldErrors(
  error: TicketError,
  view: { blocks: readonly { type: string; block_id?: string }[] },
  aliases: Record<string, string> = {},
): Record<string, string> | undefined {
  const inputs = view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id ?? '');
  const [first] = inputs;
  if (first === undefined) return undefined;
  // A whole form refused at once: each field's sentence on its own input.
  const own = Object.entries(error.fields ?? {}).filter(([field]) => inputs.includes(field));
  if (own.length > 0) return Object.fromEntries(own.map(([field, text]) => [field, text.slice(0, 2000)]));
  const wanted = aliases[error.object] ?? error.object;
  const block = inputs.includes(wanted) ? wanted : first;
  return { [block]: error.message.slice(0, 2000) };
}

/** Whether a Web API call failed with this Slack error code. */
export function isSlackError(error: unknown, ...codes: string[]): boolean {
  const data = (error as { data?: { error?: string } } | undefined)?.data;
  return typeof data?.error === 'string' && codes.includes(data.error);
}
