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
    /** Refusals of a whole form: each bad field's sentence, keyed by its parameter. */
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}

export const missed = (object: string, message: string, value?: string) =>
  new TicketError('missed', object, message, value);
export const invalid = (object: string, message: string, value?: string) =>
  new TicketError('value', object, message, value);
export const denied = (object: string, message: string) => new TicketError('access', object, message);
