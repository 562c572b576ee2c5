import type { KnownBlock } from '@slack/types';
import { context, section } from './blocks.ts';
import { clientReplyBlocks, clientReplyText } from './client.ts';

/** What a client's copy of a staff reply becomes once the reply is hidden. */
export const WITHDRAWN = '(this message was withdrawn)';

type Reply = Parameters<typeof clientReplyText>[0];

/** A delivered reply as it should read now: withdrawn when hidden, the new text marked when edited. */
export function replyCopy(reply: Reply, visible: boolean): { text: string; blocks: KnownBlock[] } {
  if (!visible) return { text: WITHDRAWN, blocks: [section(`_${WITHDRAWN}_`)] };
  return {
    text: `${clientReplyText(reply)}\n(edited)`,
    blocks: [...clientReplyBlocks(reply), context('(edited)')],
  };
}
