import type { Answer, Params } from './web-api-content.ts';

/** How an injected failure answers: a Slack error code, a 429 with Retry-After, or no answer at all. */
export type Failure = { error: string } | { rateLimited: number } | { network: true };

/** Which calls a failure applies to: a method, and optionally only calls naming one channel. */
export interface Where {
  method: string;
  channel?: string;
}

/** What the server does with a failing call: answer it like this, or drop the connection. */
export type Outcome = { status: number; headers: Record<string, string>; body: Answer } | { network: true };

/** chat.postMessage in Slack: about one message per second per channel, short bursts tolerated. */
export interface ChannelRate {
  perSecond: number;
  burst: number;
}

const POST = 'chat.postMessage';

const rateLimited = (seconds: number): Outcome => ({
  status: 429,
  headers: { 'retry-after': String(Math.max(1, Math.ceil(seconds))) },
  body: { ok: false, error: 'ratelimited' },
});

const outcome = (f: Failure): Outcome =>
  'error' in f
    ? { status: 200, headers: {}, body: { ok: false, error: f.error } }
    : 'rateLimited' in f
      ? rateLimited(f.rateLimited)
      : { network: true };

/**
 * The failures a test (or the sandbox page) makes Slack show, timed on the workspace's clock: the
 * next calls of a method failing N times, a method rate-limited for a while, a broken channel, and
 * Slack's own per-channel limit on chat.postMessage.
 */
export class Failures {
  private next: { where: Where; failure: Failure; left: number }[] = [];
  private windows: { where: Where; until: number }[] = [];
  private broken = new Map<string, string>();
  private rate?: ChannelRate;
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => Date) {}

  failNext(where: Where, failure: Failure, times: number): void {
    this.next.push({ where, failure, left: times });
  }

  rateLimit(where: Where, seconds: number): void {
    this.windows.push({ where, until: this.now().getTime() + seconds * 1000 });
  }

  breakChannel(channel: string, error: string): void {
    this.broken.set(channel, error);
  }

  fixChannel(channel: string): void {
    this.broken.delete(channel);
  }

  /** Slack's per-channel posting limit, or none (undefined: the default, so tests post freely). */
  limitPosts(rate: ChannelRate | undefined): void {
    this.rate = rate;
    this.buckets.clear();
  }

  /** The failure this call meets, if any; a call that passes counts against the channel's posts. */
  check(method: string, params: Params): Outcome | undefined {
    const channel = params.channel === undefined ? undefined : String(params.channel);
    const applies = (w: Where) => w.method === method && (w.channel === undefined || w.channel === channel);
    const broken = method.startsWith('chat.') && channel !== undefined && this.broken.get(channel);
    if (broken) return { status: 200, headers: {}, body: { ok: false, error: broken } };
    const injected = this.next.find((n) => applies(n.where));
    if (injected) {
      injected.left -= 1;
      if (injected.left <= 0) this.next.splice(this.next.indexOf(injected), 1);
      return outcome(injected.failure);
    }
    const now = this.now().getTime();
    this.windows = this.windows.filter((w) => w.until > now);
    const window = this.windows.find((w) => applies(w.where));
    if (window) return rateLimited((window.until - now) / 1000);
    return method === POST && channel !== undefined ? this.takePost(channel, now) : undefined;
  }

  /** A token bucket per channel: `burst` posts at once, refilled at `perSecond`. */
  private takePost(channel: string, now: number): Outcome | undefined {
    if (!this.rate) return undefined;
    const { perSecond, burst } = this.rate;
    const b = this.buckets.get(channel) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens < 1) return rateLimited((1 - b.tokens) / perSecond);
    b.tokens -= 1;
    return undefined;
  }
}
