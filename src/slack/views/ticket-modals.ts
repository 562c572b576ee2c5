import { TZDate } from '@date-fns/tz';
import type { ModalView } from '@slack/types';
import { format } from 'date-fns';
import type { Row } from '../../functions/types.ts';
import { encodeMeta, INPUT, type ModalMeta, VIEW } from '../ids.ts';
import {
  checkboxInput,
  context,
  modal,
  option,
  radioInput,
  section,
  selectInput,
  textInput,
} from './blocks.ts';
import { ABUSE_ACTION_LABEL, PRIORITY_OPTIONS } from './labels.ts';
import { escapeText } from './mrkdwn.ts';

/** Opened straight after ack, while the data for the real modal is read; replaced by views.update. */
export function loadingModal(title: string): ModalView {
  return modal(VIEW.loading, title, [section(':hourglass_flowing_sand: Loading…')]);
}

/** Shown in place of a modal the user may not use or that failed to load. */
export function refusalModal(title: string, text: string): ModalView {
  return modal(VIEW.loading, title, [section(`:no_entry: ${escapeText(text)}`)]);
}

const meta = (m: ModalMeta) => encodeMeta(m);

export function replyModal(ticketId: number, m: ModalMeta): ModalView {
  return modal(
    VIEW.reply,
    `Reply to #${ticketId}`,
    [
      textInput('message', 'Message (Markdown)', { multiline: true, max: 3000 }),
      radioInput(
        INPUT.replyTo,
        'Send as',
        [option('client', 'Reply to the client'), option('note', 'Internal note (staff only)')],
        'client',
      ),
      checkboxInput(INPUT.closeAfter, 'Afterwards', [option('close', 'Close the ticket')]),
    ],
    { submit: 'Send', meta: meta({ ...m, ticketId }) },
  );
}

const priorityOptions = PRIORITY_OPTIONS.map(([k, v]) => option(k, v));

export function priorityModal(f: Row, m: ModalMeta): ModalView {
  const id = Number(f.id);
  return modal(
    VIEW.priority,
    `Priority of #${id}`,
    [
      selectInput('priority', 'Priority', priorityOptions, { initial: String(f.priority) }),
      selectInput('client_priority', "Client's priority", priorityOptions, {
        initial: String(f.client_priority),
      }),
      radioInput(
        INPUT.highPriority,
        'High priority (queue first)',
        [
          option('keep', f.highpriority ? 'Keep raised' : 'Keep as is'),
          option('raise', 'Raise'),
          option('reset', 'Reset'),
        ],
        'keep',
      ),
    ],
    { submit: 'Save', meta: meta({ ...m, ticketId: id }) },
  );
}

export function abuseModal(f: Row, m: ModalMeta): ModalView {
  const id = Number(f.id);
  return modal(
    VIEW.abuse,
    `Abuse on #${id}`,
    [
      context(`Registers a violation on client ${escapeText(String(f.client))}.`),
      textInput('score', 'Score', { placeholder: 'e.g. 10' }),
      textInput('score_note', 'Note', { multiline: true, optional: true, max: 2000 }),
      selectInput(
        'action',
        'Action',
        Object.entries(ABUSE_ACTION_LABEL).map(([k, v]) => option(k, v)),
        { initial: 'none' },
      ),
    ],
    { submit: 'Register', meta: meta({ ...m, ticketId: id }) },
  );
}

/** Date and time pickers show and read the staff member's own time zone (as ticket.edit does). */
export function deadlineModal(f: Row, m: ModalMeta, timezone: string): ModalView {
  const id = Number(f.id);
  const local =
    f.deadline instanceof Date ? format(new TZDate(f.deadline, timezone), 'yyyy-MM-dd HH:mm') : '';
  const [date, time] = local ? local.split(' ') : ['', ''];
  return modal(
    VIEW.deadline,
    `Deadline of #${id}`,
    [
      context(`Times are in your time zone, ${escapeText(timezone)}.`),
      {
        type: 'input',
        block_id: 'deadline_date',
        label: { type: 'plain_text', text: 'Date' },
        element: { type: 'datepicker', action_id: 'value', ...(date ? { initial_date: date } : {}) },
      },
      {
        type: 'input',
        block_id: 'deadline_time',
        label: { type: 'plain_text', text: 'Time' },
        optional: true,
        element: { type: 'timepicker', action_id: 'value', ...(time ? { initial_time: time } : {}) },
      },
    ],
    { submit: 'Set', meta: meta({ ...m, ticketId: id }) },
  );
}

export function assignModal(
  f: Row,
  departmentChoices: { key: string; label: string }[],
  staff: { id: number; name: string }[],
  m: ModalMeta,
): ModalView {
  const id = Number(f.id);
  const departments = departmentChoices.map((o) => option(o.key, o.label));
  return modal(
    VIEW.assign,
    `Assign #${id}`,
    [
      selectInput('client_department', 'Department', departments, { initial: String(f.department_id) }),
      selectInput(
        'responsible',
        'Staff member',
        [option('0', 'Nobody (the department)'), ...staff.map((s) => option(String(s.id), s.name))],
        { initial: String(f.responsible_id ?? '0') },
      ),
    ],
    { submit: 'Assign', meta: meta({ ...m, ticketId: id }) },
  );
}

export function chargeModal(f: Row, m: ModalMeta): ModalView {
  const id = Number(f.id);
  return modal(
    VIEW.charge,
    `Charge for #${id}`,
    [
      context(`Debits the balance of client ${escapeText(String(f.client))}.`),
      textInput('ticket_expense', 'Expense amount', { placeholder: 'e.g. 25.00' }),
    ],
    { submit: 'Charge', meta: meta({ ...m, ticketId: id }) },
  );
}
