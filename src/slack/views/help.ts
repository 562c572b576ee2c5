/** A subcommand as its help line shows it: how to call it, what it does, who may. */
export interface SubcommandHelp {
  /** What follows the command, e.g. `filter reset` or `su CLIENT` ('' for the bare command). */
  usage: string;
  does: string;
  /** Staff in general, or roots only (the help says so). */
  who: 'staff' | 'root' | 'client';
}

/** The usage text of a command, one line per subcommand in the order of its table. */
export function usageText(
  command: string,
  subcommands: readonly SubcommandHelp[],
  notes: string[] = [],
): string {
  const line = (s: SubcommandHelp) =>
    `\`${command}${s.usage ? ` ${s.usage}` : ''}\` — ${s.does}${s.who === 'root' ? ' (roots)' : ''}`;
  return [...subcommands.map(line), ...notes].join('\n');
}

export const SUPPORT_USAGE = [
  '*`/support`* — your tickets',
  '`/support new` — open a ticket',
  '`/support 123` — read ticket 123 and reply',
  '`/support link CODE` — link your Slack account with the code support gave you',
].join('\n');
