import { TZDate } from '@date-fns/tz';
import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { format } from 'date-fns';
import { FIELD } from '../ids.ts';
import { escapeText } from './mrkdwn.ts';

/** Small Block Kit builders the views share, so every view reads as its content. */

/** Text objects cut to the limit of where they go (Slack refuses longer ones): 150 and 3000 by default. */
export const plain = (text: string, max = 150) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});
export const md = (text: string, max = 3000) => ({ type: 'mrkdwn' as const, text: clip(text, max) });

/** Cut with an ellipsis, so a reader sees the text goes on. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function section(text: string, accessory?: SectionBlock['accessory']): SectionBlock {
  return accessory ? { type: 'section', text: md(text), accessory } : { type: 'section', text: md(text) };
}

export function fields(pairs: [string, string][]): SectionBlock {
  return { type: 'section', fields: pairs.slice(0, 10).map(([k, v]) => md(`*${k}*\n${v || '—'}`, 2000)) };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [md(text)] };
}

export function confirm(title: string, text: string, yes: string, danger = false): ConfirmationDialog {
  return {
    title: plain(title),
    text: plain(text),
    confirm: plain(yes),
    deny: plain('Cancel'),
    ...(danger ? { style: 'danger' } : {}),
  };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  extra: { style?: 'primary' | 'danger'; confirm?: ConfirmationDialog } = {},
): Button {
  return { type: 'button', text: plain(text), action_id: actionId, value, ...extra };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

export const option = (value: string, text: string): PlainTextOption => ({ text: plain(text, 75), value });

export function textInput(
  blockId: string,
  label: string,
  opts: {
    initial?: string;
    multiline?: boolean;
    optional?: boolean;
    placeholder?: string;
    max?: number;
  } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: opts.optional ?? false,
    element: {
      type: 'plain_text_input',
      action_id: FIELD,
      multiline: opts.multiline ?? false,
      ...(opts.initial ? { initial_value: opts.initial.slice(0, opts.max ?? 3000) } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(opts.max ? { max_length: opts.max } : {}),
    },
  };
}

export function selectInput(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  opts: { initial?: string; optional?: boolean } = {},
): InputBlock {
  const initial = options.find((o) => o.value === opts.initial);
  // Slack shows at most 100 options; the chosen one stays among them.
  const shown = options.slice(0, 100);
  if (initial && !shown.includes(initial)) shown[99] = initial;
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: opts.optional ?? false,
    element: {
      type: 'static_select',
      action_id: FIELD,
      options: shown,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

/**
 * A searchable select whose options the app serves as the person types (`actionId` routes the
 * options request); `multi` lets several be chosen.
 */
export function externalSelectInput(
  blockId: string,
  label: string,
  actionId: string,
  opts: { initial?: PlainTextOption[]; optional?: boolean; multi?: boolean; placeholder?: string } = {},
): InputBlock {
  const initial = opts.initial ?? [];
  const element = opts.multi
    ? {
        type: 'multi_external_select' as const,
        action_id: actionId,
        min_query_length: 0,
        ...(initial.length > 0 ? { initial_options: initial.slice(0, 100) } : {}),
      }
    : {
        type: 'external_select' as const,
        action_id: actionId,
        min_query_length: 0,
        ...(initial[0] ? { initial_option: initial[0] } : {}),
      };
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: opts.optional ?? false,
    element: { ...element, ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}) },
  };
}

export function radioInput(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  initial: string,
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'radio_buttons',
      action_id: FIELD,
      options,
      initial_option: options.find((o) => o.value === initial) ?? options[0],
    },
  };
}

export function checkboxInput(blockId: string, label: string, options: PlainTextOption[]): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: true,
    element: { type: 'checkboxes', action_id: FIELD, options },
  };
}

export function modal(
  callbackId: string,
  title: string,
  blocks: KnownBlock[],
  opts: { submit?: string; meta?: string; close?: string } = {},
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    close: plain(opts.close ?? (opts.submit ? 'Cancel' : 'Close'), 24),
    ...(opts.submit ? { submit: plain(opts.submit, 24) } : {}),
    ...(opts.meta ? { private_metadata: opts.meta } : {}),
    blocks: blocks.slice(0, 100),
  };
}

/**
 * Slack renders these in each reader's own time zone (the one users.info reports); the fallback,
 * for clients that cannot, is in `tz` when the view is for one person, else UTC.
 */
export function slackDate(date: Date | null | undefined, tz?: string): string {
  if (!date) return '';
  return slackToken(date, '{date_short_pretty} {time}', fallback(date, 'yyyy-MM-dd HH:mm', tz));
}

/** The time of day only ("14:30"), for what ends soon: a lock. */
export function slackTime(date: Date, tz?: string): string {
  return slackToken(date, '{time}', fallback(date, 'HH:mm', tz));
}

const slackToken = (date: Date, format: string, text: string) =>
  `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${text}>`;

const fallback = (date: Date, pattern: string, tz?: string) =>
  tz ? `${format(new TZDate(date, tz), pattern)} (${tz})` : `${format(new TZDate(date, 'UTC'), pattern)} UTC`;

/** "locked by Rita Root until 14:30" (in the reader's zone), or '' while nobody holds the lock. */
export function lockText(row: { blocked_by?: unknown; locked_until?: unknown }, tz?: string): string {
  if (!row.blocked_by) return '';
  // blocked_by is "name, when the lock was taken" (BILLmanager's column): the name is before the last comma.
  const held = String(row.blocked_by);
  const name = held.includes(', ') ? held.slice(0, held.lastIndexOf(', ')) : held;
  const until = row.locked_until instanceof Date ? ` until ${slackTime(row.locked_until, tz)}` : '';
  return `locked by ${escapeText(name)}${until}`;
}
