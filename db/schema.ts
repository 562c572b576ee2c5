/**
 * Every table, in five files along the seams of the system: accounts and departments, tickets and what
 * hangs off them, each front door's own state (API sessions; Slack cards, claims, link codes), and
 * scheduled work.
 */
import {
  clients,
  departments,
  externalIds,
  providers,
  services,
  staffDepartments,
  users,
} from './schema/accounts.ts';
import { authKeys, loginThrottle, sessions } from './schema/api.ts';
import { digests, escalations, jobs, slaWarnings } from './schema/jobs.ts';
import { linkCodes, slackClaims, ticketCards } from './schema/slack.ts';
import {
  attachments,
  auditLog,
  expenses,
  favorites,
  incidentPurchases,
  messageEdits,
  messages,
  readMarks,
  savedFilters,
  tickets,
  violations,
} from './schema/tickets.ts';

export * from './schema/accounts.ts';
export * from './schema/api.ts';
export * from './schema/jobs.ts';
export * from './schema/slack.ts';
export * from './schema/tickets.ts';

/** The tables, for Drizzle's relational queries and for tests that empty them all. */
export const schema = {
  providers,
  departments,
  clients,
  users,
  staffDepartments,
  services,
  externalIds,
  tickets,
  messages,
  messageEdits,
  attachments,
  favorites,
  readMarks,
  violations,
  expenses,
  incidentPurchases,
  savedFilters,
  auditLog,
  sessions,
  authKeys,
  loginThrottle,
  slackClaims,
  ticketCards,
  linkCodes,
  jobs,
  escalations,
  digests,
  slaWarnings,
};

export type Ticket = typeof tickets.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type User = typeof users.$inferSelect;
export type Client = typeof clients.$inferSelect;
export type Department = typeof departments.$inferSelect;
export type Escalation = typeof escalations.$inferSelect;
