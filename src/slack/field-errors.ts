import type { TicketError } from '../functions/errors.ts';

/**
 * The one mapping from the parameters the ticket functions name in their refusals to what people
 * read in Slack. In a modal the label of the input a parameter fills wins (it is what the person
 * sees on screen); elsewhere, and for parameters no input fills, these names stand in.
 */
const LABELS: Record<string, string> = {
  elid: 'Ticket',
  plid: 'Ticket',
  id: 'Ticket id',
  client: 'Client',
  client_department: 'Department',
  department: 'Department',
  name: 'Subject',
  subject: 'Subject',
  message: 'Message',
  note_message: 'Internal note',
  priority: 'Priority',
  client_priority: "Client's priority",
  high_priority: 'High priority',
  low_priority: 'High priority',
  responsible: 'Staff member',
  deadline_date: 'Deadline date',
  deadline_time: 'Deadline time',
  ticket_expense: 'Expense amount',
  score: 'Score',
  score_note: 'Note',
  action: 'Action',
  show_abuse: 'Abuse',
  ticket_item: 'Service',
  count: 'How many',
  incident: 'Paid support tickets',
  tstatus: 'Status',
};

/** "regulation_0" → "Regulation 0": never the raw name, even for a parameter not listed above. */
const humanised = (param: string) => {
  const words = param.replace(/[_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A refusal's sentence as people read it: "Parameter ticket_expense must be…" or "regulation_0 must
 * be…" become "Expense amount must be…" ("name (or subject)" loses its parenthesis too).
 */
export function spoken(error: { object: string; message: string }, label?: string): string {
  const param = escapeRegExp(error.object);
  const bare = /^[a-z]/.test(error.object) ? `|${param}` : '';
  const named = new RegExp(`^(?:Parameter ${param}${bare})(?: \\([^)]*\\))?(?= |$)`);
  if (!named.test(error.message)) return error.message;
  return error.message.replace(named, label ?? LABELS[error.object] ?? humanised(error.object));
}

/** Every refusal a TicketError carries: each bad field of a form (`fields`), or itself. */
const allOf = (error: TicketError) =>
  error.fields && Object.keys(error.fields).length > 0
    ? Object.entries(error.fields).map(([object, message]) => ({ object, message }))
    : [{ object: error.object, message: error.message }];

/**
 * A TicketError as modal field errors (`response_action: errors`): each bad parameter on the input
 * block named after it (`aliases` maps parameters filled by a differently named input), worded with
 * that input's label. A refusal no input fits goes on the first input, so the user always sees why
 * the modal stayed open.
 */
export function fieldErrors(
  error: TicketError,
  view: { blocks: readonly { type: string; block_id?: string }[] },
  aliases: Record<string, string> = {},
): Record<string, string> | undefined {
  const inputs = view.blocks.flatMap((b) =>
    b.type === 'input' && b.block_id
      ? [{ id: b.block_id, label: (b as { label?: { text?: string } }).label?.text }]
      : [],
  );
  const firstInput = inputs[0];
  if (!firstInput) return undefined;
  const errors: Record<string, string[]> = {};
  for (const e of allOf(error)) {
    const wanted = aliases[e.object] ?? e.object;
    const input = inputs.find((i) => i.id === wanted);
    const text = spoken(e, input?.label);
    const block = input ?? firstInput;
    errors[block.id] = [...(errors[block.id] ?? []), text];
  }
  return Object.fromEntries(
    Object.entries(errors).map(([block, texts]) => [block, [...new Set(texts)].join(' ').slice(0, 2000)]),
  );
}
