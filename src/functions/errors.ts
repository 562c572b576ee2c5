/** BILLmanager's error types: what went wrong, as API clients switch on it. */
export const ERROR_TYPES = ['missed', 'value', 'exists', 'access', 'auth'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/**
 * A refusal the caller can read: the type, the parameter or object it concerns, and a sentence.
 * Every front door renders it (ephemeral Slack message, modal field error, API error document).
 */
export class TicketError extends Error {
  constructor(
    readonly type: ErrorType,
    readonly object: string,
    message: string,
    readonly value?: string,
  ) {
    super(message);
    this.name = 'TicketError';
  }

  /**
   * Further refusals found with this one (every bad parameter of a request), so a form can mark all
   * its bad fields at once; callers that report one refusal (the API) report this one.
   */
  others: readonly TicketError[] = [];
}

/** Several refusals as one: the first, carrying the rest (`others`). */
export function together(errors: readonly TicketError[]): TicketError {
  const [first, ...rest] = errors;
  if (!first) throw new Error('together() needs at least one refusal');
  first.others = rest;
  return first;
}

export const missed = (object: string, message: string, value?: string) =>
  new TicketError('missed', object, message, value);
export const invalid = (object: string, message: string, value?: string) =>
  new TicketError('value', object, message, value);
export const denied = (object: string, message: string) => new TicketError('access', object, message);
