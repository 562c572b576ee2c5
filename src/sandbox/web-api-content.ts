import { validateBlocks } from './block-kit.ts';
import { BOT, type Channel, type StoredMessage, type Workspace } from './workspace.ts';

export type Params = Record<string, unknown>;
export type Answer = Record<string, unknown> & { ok: boolean };
export type Method = (p: Params) => Answer;

/** Slack's limit on a message's text (chat.postMessage, chat.update, response_urls). */
const MAX_TEXT = 40_000;

export const fail = (error: string, extra: Params = {}): Answer => ({ ok: false, error, ...extra });

export const isAnswer = (x: unknown): x is Answer => typeof (x as Answer).ok === 'boolean';

/** A boolean argument: JSON true, or "true" as the WebClient form-encodes it. */
export const isTrue = (v: unknown) => v === true || v === 'true';

/** A message's content as chat.* and response_urls take it: text and/or blocks, within Slack's limits. */
export function content(p: Params): Answer | { text: string; blocks?: unknown[] } {
  const blocks = p.blocks === undefined || p.blocks === '' ? undefined : p.blocks;
  const text = p.text === undefined ? '' : String(p.text);
  if (!text && !blocks) return fail('no_text');
  if (text.length > MAX_TEXT) return fail('msg_too_long');
  if (blocks !== undefined) {
    const errors = validateBlocks(blocks, 'message');
    if (errors.length > 0) return fail('invalid_blocks', { errors });
  }
  return { text, blocks: blocks as unknown[] | undefined };
}

/** Message metadata as Slack takes it: an event type and a payload object, or Slack's refusal. */
export function metadata(p: Params): Answer | { metadata?: StoredMessage['metadata'] } {
  const m = p.metadata;
  if (m === undefined || m === '') return {};
  const meta = m as { event_type?: unknown; event_payload?: unknown };
  const valid =
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.event_type === 'string' &&
    meta.event_type.length > 0 &&
    typeof meta.event_payload === 'object' &&
    meta.event_payload !== null &&
    !Array.isArray(meta.event_payload);
  return valid ? { metadata: m as StoredMessage['metadata'] } : fail('invalid_metadata_format');
}

/**
 * The channel a call names, as the bot may use it: a private channel the bot is not in does not exist
 * for it (channel_not_found); `member` calls (posting, reading history) also need the bot in it.
 */
export function channelFor(ws: Workspace, id: unknown, need: 'visible' | 'member'): Channel | Answer {
  const c = ws.channel(String(id ?? ''));
  const inIt = c?.members.has(BOT.user) ?? false;
  if (!c || (c.is_private && !inIt)) return fail('channel_not_found');
  if (need === 'member' && !inIt) return fail('not_in_channel');
  return c;
}
