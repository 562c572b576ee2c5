import { randomBytes } from 'node:crypto';

/** Slack: a trigger_id opens one modal within 3 seconds of the interaction. */
export const TRIGGER_MS = 3000;
/** Slack: a response_url takes 5 posts within 30 minutes. */
const RESPONSE_USES = 5;
const RESPONSE_MS = 30 * 60_000;

/** Where a response_url's posts go: the channel, the person who acted, and the message acted on. */
export interface ResponseTarget {
  channel: string;
  user: string;
  message?: { ts: string; ephemeral: boolean };
}

/**
 * The short-lived permissions Slack hands out with each interaction: trigger_ids (3 s, one use) and
 * response_urls (5 uses, 30 min). Timed on the real clock: they model network time, not the sandbox day.
 */
export class Grants {
  private triggers = new Map<string, { user: string; expires: number; used: boolean }>();
  private responses = new Map<string, ResponseTarget & { uses: number; expires: number }>();

  trigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { user, expires: Date.now() + TRIGGER_MS, used: false });
    return id;
  }

  /** Spends a trigger_id; the Slack error code when it cannot be. */
  useTrigger(id: unknown): { user: string } | { error: string } {
    const t = this.triggers.get(String(id));
    if (!t) return { error: 'invalid_trigger_id' };
    if (t.used) return { error: 'exchanged_trigger_id' };
    if (t.expires < Date.now()) return { error: 'expired_trigger_id' };
    t.used = true;
    return { user: t.user };
  }

  /** A response_url id (the caller builds the URL on its own address). */
  responseUrl(target: ResponseTarget): string {
    const id = randomBytes(9).toString('hex');
    this.responses.set(id, { ...target, uses: 0, expires: Date.now() + RESPONSE_MS });
    return id;
  }

  useResponseUrl(id: string): ResponseTarget | { error: string } {
    const r = this.responses.get(id);
    if (!r || r.expires < Date.now()) return { error: 'expired_url' };
    if (r.uses >= RESPONSE_USES) return { error: 'used_url' };
    r.uses += 1;
    return r;
  }
}
