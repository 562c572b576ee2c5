/**
 * Every Slack id the scheduled-work messages and views carry, for src/slack/listeners.ts to route.
 * Button values are plain decimal ids; parse them with `parseId`.
 */
export const SCHEDULE_IDS = {
  /** Ack button on an on-call page; value = escalation id. */
  oncallAck: 'oncall_ack',
  /** "Open" button in a digest; value = ticket id (route like the card's open button). */
  digestOpen: 'digest_open_ticket',
  /** Root settings modal of a department; private_metadata = department id. */
  settingsView: 'schedule_settings',
} as const;

export function parseId(value: string | undefined): number | null {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}
