import { TZDate } from '@date-fns/tz';
import { invalid } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { INPUT, parseMeta } from '../ids.ts';
import { errorText } from '../reply-error.ts';
import { checkedValues, inputValue, submitView, type ViewArgs } from './interaction.ts';

/** The ticket a card modal works on, from its metadata. */
const ticketOf = (args: ViewArgs) => String(parseMeta(args.body.view.private_metadata).ticketId ?? '');

/**
 * Reply: to the client or as an internal note, as the staff member chose; optionally close after.
 * Both parameters are typed in the same field, so errors about either land on it.
 */
export function submitReply(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(
      env,
      args,
      async () => {
        const { session } = await staffActor(env, args.body.user.id);
        const elid = ticketOf(args);
        const text = inputValue(args, 'message');
        const note = inputValue(args, INPUT.replyTo) === 'note';
        await call(env.deps, session, 'ticket.edit', {
          elid,
          [note ? 'note_message' : 'message']: text,
          sok: 'ok',
        });
        const done = note ? `Internal note saved on #${elid}` : `Reply sent to the client of #${elid}`;
        if (!checkedValues(args, INPUT.closeAfter).includes('close')) return `${done}.`;
        // The reply is committed: a failed close must not reopen the modal (or release its claim),
        // or submitting again would send the reply twice. The user is told what did not happen.
        try {
          const closed = await call(env.deps, session, 'ticket.delete', { elid, sok: 'ok' });
          if (closed.tickets.length === 0) return `${done}; the ticket was already closed.`;
          return `${done} and the ticket closed.`;
        } catch (error) {
          return `${done}, but it was not closed: ${errorText(error).replace(/^:\w+: /, '')}`;
        }
      },
      { note_message: 'message', elid: 'message' },
    );
}

/** A card modal whose inputs are ticket.edit parameters as they are. */
function submitTicketEdit(env: SlackDeps, params: (args: ViewArgs) => Record<string, string>, done: string) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const elid = ticketOf(args);
      await call(env.deps, session, 'ticket.edit', { elid, ...params(args), sok: 'ok' });
      return `${done} #${elid}.`;
    });
}

export const submitPriority = (env: SlackDeps) =>
  submitTicketEdit(
    env,
    (args) => {
      const high = inputValue(args, INPUT.highPriority);
      return {
        priority: inputValue(args, 'priority'),
        client_priority: inputValue(args, 'client_priority'),
        ...(high === 'raise' ? { high_priority: 'on' } : high === 'reset' ? { low_priority: 'on' } : {}),
      };
    },
    'Priority saved for',
  );

export const submitAbuse = (env: SlackDeps) =>
  submitTicketEdit(
    env,
    (args) => ({
      show_abuse: 'on',
      score: inputValue(args, 'score'),
      score_note: inputValue(args, 'score_note'),
      action: inputValue(args, 'action'),
    }),
    'Violation registered on',
  );

/**
 * Deadline: a moment already past is refused on the date field. Only here: ticket.edit itself takes
 * past deadlines, since an API form posted back as shown must be accepted (docs/api-conformance.md).
 */
export function submitDeadline(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session, account } = await staffActor(env, args.body.user.id);
      const elid = ticketOf(args);
      const date = inputValue(args, 'deadline_date');
      const time = inputValue(args, 'deadline_time');
      // As ticket.edit reads them: in the staff member's zone; a date alone means the end of that day.
      const [y = 0, mo = 1, d = 1] = date.split('-').map(Number);
      const [h = 23, mi = 59, sec = time ? 0 : 59] = time ? time.split(':').map(Number) : [];
      const chosen = new TZDate(y, mo - 1, d, h, mi, sec, account.timezone);
      if (date && chosen.getTime() <= env.deps.now().getTime())
        throw invalid('deadline_date', 'The deadline must be in the future');
      await call(env.deps, session, 'ticket.edit', {
        elid,
        deadline_date: date,
        deadline_time: time,
        sok: 'ok',
      });
      return `Deadline set for #${elid}.`;
    });
}

export const submitAssign = (env: SlackDeps) =>
  submitTicketEdit(
    env,
    (args) => ({
      client_department: inputValue(args, 'client_department'),
      responsible: inputValue(args, 'responsible'),
    }),
    'Assigned',
  );

export const submitCharge = (env: SlackDeps) =>
  submitTicketEdit(
    env,
    (args) => ({ ticket_expense: inputValue(args, 'ticket_expense') }),
    'Charged the client of',
  );
