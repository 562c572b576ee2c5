/** Words for the spec's codes, as staff and clients read them in Slack. */
export const STATUS_LABEL: Record<string, string> = {
  '0': 'New',
  '1': 'Under review',
  '2': 'Awaiting client',
  '3': 'Closed',
  '10': 'Archived',
};
export const PRIORITY_LABEL: Record<string, string> = { '0': 'Low', '1': 'Medium', '2': 'High' };
export const PRIORITY_OPTIONS = Object.entries(PRIORITY_LABEL);
export const ABUSE_ACTION_LABEL: Record<string, string> = {
  none: 'No action',
  warn: 'Warn',
  block: 'Block account (disables its logins)',
};

/** "1 ticket", "2 tickets": English plurals of the nouns the bot counts. */
export const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
