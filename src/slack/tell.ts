import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { log } from '../log.ts';

/** Where a reply to a user goes: the interaction's response_url, the channel ephemerally, or a DM. */
export interface Audience {
  client: WebClient;
  user: string;
  channel?: string;
  respond?: (message: {
    response_type: 'ephemeral';
    replace_original: false;
    text: string;
    blocks?: KnownBlock[];
  }) => Promise<unknown>;
}

/** Tells one user something only they see. A failure to tell is logged, never thrown: the work is done. */
export async function tell(to: Audience, text: string, blocks?: KnownBlock[]): Promise<void> {
  try {
    if (to.respond) {
      await to.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text,
        ...(blocks ? { blocks } : {}),
      });
    } else if (to.channel) {
      await to.client.chat.postEphemeral({
        channel: to.channel,
        user: to.user,
        text,
        ...(blocks ? { blocks } : {}),
      });
    } else {
      await to.client.chat.postMessage({ channel: to.user, text, ...(blocks ? { blocks } : {}) });
    }
  } catch (error) {
    log.warn('could not tell the user', { user: to.user, error: String(error) });
  }
}

/** The audience of a Bolt interaction payload. */
export function audienceOf(args: {
  client: WebClient;
  body: unknown;
  respond?: Audience['respond'];
}): Audience {
  const body = args.body as {
    user?: { id: string };
    user_id?: string;
    channel?: { id: string };
    channel_id?: string;
    response_url?: string;
    response_urls?: { response_url: string }[];
  };
  return {
    client: args.client,
    user: body.user?.id ?? body.user_id ?? '',
    channel: body.channel?.id ?? body.channel_id,
    respond: body.response_url ? args.respond : undefined,
  };
}
