import type { KnownBlock } from '@slack/types';
import type { OnCall } from '../../../db/schema.ts';
import { mention, type OnCallNow } from '../../domain/rotation.ts';
import { section } from './blocks.ts';
import { localTime } from './local-time.ts';
import { escapeText } from './mrkdwn.ts';

/** Who is on call now and next in a department, with the escalation chain; pure. */
export function oncallMessage(
  department: string,
  oncall: OnCall | null,
  who: OnCallNow,
  timezone: string,
): { text: string; blocks: KnownBlock[] } {
  const name = escapeText(department);
  if (!oncall || (!who.current && oncall.chain.length === 0)) {
    const text = `${name} has no on-call target configured.`;
    return { text, blocks: [section(text)] };
  }
  // Meant as an ephemeral answer, where mentions show names without paging anyone.
  const lines = [
    `*On call in ${name} now:* ${who.current ? mention(who.current) : 'nobody'}`,
    who.next
      ? `*Next:* ${mention(who.next.target)} from ${localTime(who.next.from, oncall.rotation?.timezone ?? timezone)}`
      : null,
    oncall.chain.length > 0
      ? `*Escalation* after ${oncall.ackMinutes} min without Ack, in turn: ${oncall.chain.map(mention).join(' → ')}`
      : null,
  ].filter((l): l is string => l !== null);
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}
