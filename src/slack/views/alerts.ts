import type { KnownBlock } from '@slack/types';
import { formatRemaining, humanMinutes } from '../../domain/sla.ts';
import { ACTION } from '../ids.ts';
import { plain, section } from './blocks.ts';
import { localTime } from './local-time.ts';
import { escapeText, mentionOrText } from './mrkdwn.ts';

interface TicketRef {
  id: number;
  name: string;
}

const title = (t: TicketRef) => `ticket #${t.id} “${escapeText(t.name)}”`;
const lead = (mention: string | null) => (mention ? `${mention} ` : '');

/** An SLA warning for the ticket's thread: `stage` minutes before the deadline, 0 = breached. */
export function warningMessage(
  t: TicketRef,
  stage: number,
  deadline: Date,
  timezone: string,
  mention: string | null,
  now: Date,
): { text: string } {
  if (stage === 0 || deadline <= now) {
    return {
      text: `:rotating_light: ${lead(mention)}The response deadline of ${title(t)} has passed: it was due ${localTime(deadline, timezone)}, ${formatRemaining(deadline, now)}.`,
    };
  }
  return {
    text: `:hourglass_flowing_sand: ${lead(mention)}${capital(title(t))} must be answered by ${localTime(deadline, timezone)}: ${formatRemaining(deadline, now)}.`,
  };
}

/** An on-call page with the Ack button. Step 0 is the on-call person, later steps escalate. */
export function pageMessage(
  t: TicketRef,
  escalationId: number,
  step: number,
  mention: string,
  waitedMinutes: number,
): { text: string; blocks: KnownBlock[] } {
  const text =
    step === 0
      ? `:rotating_light: ${mention} High-priority ${title(t)} needs someone on call. Press Ack to take it.`
      : `:rotating_light: ${mention} Escalation: nobody acknowledged high-priority ${title(t)} for ${humanMinutes(waitedMinutes)}. Press Ack to take it.`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: `oncall_${escalationId}_${step}`,
        elements: [
          {
            type: 'button',
            action_id: ACTION.oncallAck,
            text: plain('Ack'),
            style: 'primary',
            value: String(escalationId),
          },
        ],
      },
    ],
  };
}

/** A page whose ticket no longer needs on-call (lowered, closed): the button goes too. */
export function pageEndedMessage(t: TicketRef): { text: string; blocks: KnownBlock[] } {
  const text = `:white_check_mark: ${capital(title(t))} no longer needs someone on call (no longer high priority, or closed).`;
  return { text, blocks: [section(text)] };
}

/** A page after someone took the ticket: the button gives way to who took it. */
export function pageTakenMessage(t: TicketRef, by: string): { text: string; blocks: KnownBlock[] } {
  const text = `:white_check_mark: High-priority ${title(t)} was taken by ${mentionOrText(by)}.`;
  return { text, blocks: [section(text)] };
}

const WHAT: Record<string, string> = {
  'sla.warning': 'SLA warning',
  'oncall.page': 'on-call page',
  'digest.post': 'daily digest',
};

/** A scheduled message that could not be posted, told to its department's channel or to the roots. */
export function undeliveredMessage(
  p: { kind: string; ticketId: number | null; attempts: number; error: string },
  department: string | null,
): { text: string } {
  const about = p.ticketId
    ? ` for ticket #${p.ticketId}`
    : department
      ? ` for ${escapeText(department)}`
      : '';
  return {
    text: `:warning: The ${escapeText(WHAT[p.kind] ?? p.kind)}${about} could not be posted after ${p.attempts} attempts: ${escapeText(p.error)}. It is still being retried; check the channel and the bot's access.`,
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
