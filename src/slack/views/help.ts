/** Usage texts: shown on `help` and on anything the command does not understand. */
export const TICKET_USAGE = [
  '*`/ticket`* — the support queue (your saved filter applies)',
  '`/ticket 123` — open ticket 123 (takes the lock while you answer)',
  '`/ticket new` — open a ticket for a client',
  '`/ticket filter` — set the queue filter · `/ticket filter reset` — clear it',
  "`/ticket client NAME|ID` — show one client's tickets",
  '`/ticket favorites` — your favorite tickets',
  '`/ticket su CLIENT` — see what a client sees',
  "`/ticket link LOGIN` — a one-time code linking a client user's Slack account",
  "`/ticket bind CLIENT [TEAM_ID]` — bind this (Slack Connect) channel to a client account (roots; TEAM_ID: the client's Slack team when several share it) · `/ticket unbind` — undo it",
  "`/ticket oncall [DEPARTMENT_ID]` — who is on call now and next (this channel's department by default)",
  "`/ticket digest [DEPARTMENT_ID]` — post the department's queue digest to this channel now",
  "Roots set up the team: `/ticket department add [PROVIDER_ID:] NAME` · `/ticket staff works @user 1,2` (the departments an admin sees) · `/ticket user link @user LOGIN` (a client user's Slack account)",
  'Roots: `/ticket staff add @user admin|root` · `/ticket staff remove @user` · `/ticket channel DEPARTMENT_ID` (cards of the department go to this channel) · `/ticket settings [DEPARTMENT_ID]` (SLA, calendar, on-call, digest)',
  'Channels shared with another organisation get no cards or digests; a root can insist by ending `channel`/`digest` with `allow-external`',
].join('\n');

export const SUPPORT_USAGE = [
  '*`/support`* — your tickets',
  '`/support new` — open a ticket',
  '`/support 123` — read ticket 123 and reply',
  '`/support link CODE` — link your Slack account with the code support gave you',
].join('\n');
