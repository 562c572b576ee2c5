import { TZDate } from '@date-fns/tz';

/** The demo departments' business hours start here (db/seed.ts). */
const MORNING = { timezone: 'Europe/Berlin', hour: 9 };

/**
 * The sandbox's clock: real time plus an offset the visitor moves forward, so deadline warnings,
 * on-call pages and digests come without waiting. Only the sandbox's Deps.now reads it; with Slack
 * configured the bot runs on the real clock.
 */
export function sandboxClock() {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  return {
    now,
    advance(ms: number): Date {
      offsetMs += Math.max(0, ms);
      return now();
    },
    /** The next 09:00 Berlin time on a weekday (today's, if it is still ahead). */
    nextBusinessMorning(): Date {
      return nextBusinessMorning(now());
    },
  };
}

export type SandboxClock = ReturnType<typeof sandboxClock>;

export function nextBusinessMorning(from: Date): Date {
  const day = new TZDate(from.getTime(), MORNING.timezone);
  const at = new TZDate(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    MORNING.hour,
    0,
    0,
    MORNING.timezone,
  );
  while (at.getTime() <= from.getTime() || at.getDay() === 0 || at.getDay() === 6) {
    at.setDate(at.getDate() + 1);
  }
  return new Date(at.getTime());
}
