import type { ModalView } from '@slack/types';
import type { FormResult } from '../../functions/types.ts';
import { OPTIONS, VIEW } from '../ids.ts';
import { checkboxInput, externalSelectInput, modal, option, selectInput, textInput } from './blocks.ts';
import { PRIORITY_OPTIONS, STATUS_LABEL } from './labels.ts';

const priorities = PRIORITY_OPTIONS.map(([k, v]) => option(k, v));
type Choice = { id: number; name: string };

/**
 * `/ticket new`: a staff member opens a ticket for a client (ticket.edit without elid); the client
 * is searched as in the filter (the app serves the options), however many clients there are.
 */
export function newTicketModal(form: FormResult): ModalView {
  return modal(
    VIEW.newTicket,
    'New ticket',
    [
      externalSelectInput('client', 'Client', OPTIONS.clients, { placeholder: 'Type a name or id' }),
      selectInput(
        'client_department',
        'Department',
        (form.options?.client_department ?? []).map((o) => option(o.key, o.label)),
      ),
      textInput('name', 'Subject', { max: 200 }),
      textInput('message', 'Message to the client (Markdown)', { multiline: true, max: 3000 }),
      selectInput('priority', 'Priority', priorities, { initial: String(form.fields.priority ?? '1') }),
    ],
    { submit: 'Open ticket' },
  );
}

/** The select value meaning "no condition" (Slack options cannot be empty). */
export const ANY = 'any';

export const FILTER_FLAGS = ['favorite', 'unread', 'highpriority', 'abuse'] as const;
export const FLAG_LABEL: Record<(typeof FILTER_FLAGS)[number], string> = {
  favorite: 'My favorites',
  unread: 'Unread',
  highpriority: 'High priority raised',
  abuse: 'Abuse registered',
};

/** `/ticket filter`: the advanced filter (ticket.filter), filled with the saved one. */
export function filterModal(
  saved: FormResult,
  departments: { key: string; label: string }[],
  staff: Choice[],
  clientNames: Map<number, string> = new Map(),
): ModalView {
  const f = saved.fields;
  const any = option(ANY, 'Any');
  const flags = checkboxInput(
    'flags',
    'Only',
    FILTER_FLAGS.map((k) => option(k, FLAG_LABEL[k])),
  );
  const chosen = FILTER_FLAGS.filter((k) => f[k] === 'on').map((k) => option(k, FLAG_LABEL[k]));
  if (chosen.length > 0 && flags.element.type === 'checkboxes') flags.element.initial_options = chosen;
  const opt = { optional: true } as const;
  return modal(
    VIEW.filter,
    'Queue filter',
    [
      textInput('name', 'Subject contains', { ...opt, initial: String(f.name ?? '') }),
      // Clients can be many: Slack searches them through the app (OPTIONS.clients), by name or id.
      externalSelectInput('client', 'Clients', OPTIONS.clients, {
        ...opt,
        multi: true,
        placeholder: 'Type a name or id',
        initial: String(f.client ?? '')
          .split(',')
          .filter((c) => /^\d+$/.test(c.trim()))
          .map((c) => option(c.trim(), clientNames.get(Number(c)) ?? `#${c.trim()}`)),
      }),
      textInput('id', 'Ticket id', { ...opt, initial: String(f.id ?? '') }),
      selectInput('department', 'Department', [any, ...departments.map((d) => option(d.key, d.label))], {
        ...opt,
        initial: String(f.department ?? ANY),
      }),
      selectInput('responsible', 'Responsible', [any, ...staff.map((s) => option(String(s.id), s.name))], {
        ...opt,
        initial: String(f.responsible ?? ANY),
      }),
      selectInput('tstatus', 'Status', [any, ...Object.entries(STATUS_LABEL).map(([k, v]) => option(k, v))], {
        ...opt,
        initial: String(f.tstatus ?? ANY),
      }),
      selectInput('priority', 'Priority', [any, ...priorities], {
        ...opt,
        initial: String(f.priority ?? ANY),
      }),
      flags,
    ],
    { submit: 'Apply' },
  );
}
