/**
 * Every action_id, callback_id and block_id the bot's messages and modals carry, and the values
 * its buttons hold, the scheduled posts' (pages, digests) and the settings modal's included.
 * listeners.ts routes each of them; a test checks that nothing is left unrouted.
 */

/** Buttons and menus (action_id). */
export const ACTION = {
  // Ticket card (and App Home rows)
  reply: 'card.reply',
  priority: 'card.priority',
  abuse: 'card.abuse',
  deadline: 'card.deadline',
  assign: 'card.assign',
  favorite: 'card.favorite',
  close: 'card.close',
  unblock: 'card.unblock',
  messages: 'card.messages',
  su: 'card.su',
  charge: 'card.charge',
  // Staff queue
  open: 'queue.open',
  // Previous and Next sit in one actions block: Slack wants their action_ids distinct.
  pagePrevious: 'queue.page.previous',
  pageNext: 'queue.page.next',
  // Messages modal: per message
  messageEdit: 'message.edit',
  messageHide: 'message.hide',
  messageSplit: 'message.split',
  // Messages modal: paging (both in one actions block, so distinct action_ids)
  messagesEarlier: 'messages.page.earlier',
  messagesNewer: 'messages.page.newer',
  // Client list
  clientOpen: 'client.open',
  clientReply: 'client.reply',
  clientArchive: 'client.archive',
  clientNew: 'client.new',
  clientBuy: 'client.buy',
  clientPagePrevious: 'client.page.previous',
  clientPageNext: 'client.page.next',
  clientTicketEarlier: 'client.ticket.earlier',
  clientTicketNewer: 'client.ticket.newer',
  // "Log in as client" modal: the client's list, paged by staff
  clientViewPrevious: 'clientview.page.previous',
  clientViewNext: 'clientview.page.next',
  // App Home
  homeRefresh: 'home.refresh',
  // On-call pages and daily digests (posted by the job worker)
  /** Ack on an on-call page; value = the paging episode's id. */
  oncallAck: 'oncall_ack',
  /** "Open" in a digest; value = ticket id, opened like a queue line. */
  digestOpen: 'digest_open_ticket',
} as const;

/** Selects whose options the app serves (block_suggestion, the manifest's options load URL). */
export const OPTIONS = {
  clients: 'clients.search',
} as const;

/** Modals (callback_id). Views without a submit button still carry one, for routing clarity. */
export const VIEW = {
  loading: 'loading',
  reply: 'reply',
  priority: 'priority',
  abuse: 'abuse',
  deadline: 'deadline',
  assign: 'assign',
  charge: 'charge',
  newTicket: 'new_ticket',
  filter: 'filter',
  messages: 'messages',
  messageEdit: 'message_edit',
  clientView: 'client_view',
  clientNew: 'client_new',
  clientReply: 'client_reply',
  buy: 'buy',
  /** A department's settings (roots); private_metadata = the department id. */
  scheduleSettings: 'schedule_settings',
} as const;

/**
 * Input blocks are named after the ticket-function parameter they fill, so a TicketError naming a
 * parameter lands on its field. Inputs that fill no parameter directly have their own names.
 */
export const INPUT = {
  replyTo: 'reply_to',
  closeAfter: 'close_after',
  highPriority: 'high_priority',
} as const;

/** The single action inside each input block. */
export const FIELD = 'value';

/** Button values: the ticket, and for paging the page. */
export const ticketValue = (ticketId: number) => String(ticketId);
export function parseTicketValue(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`not a ticket id: ${value}`);
  return id;
}

/** A plain decimal id (an Ack button's episode, a department typed in a command), or null. */
export function parseId(value: string | undefined): number | null {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** Queue paging: `page:favorites` — page number and whether only favorites are listed. */
export const pageValue = (page: number, favorites: boolean) => `${page}:${favorites ? 'fav' : 'all'}`;
export function parsePageValue(value: string | undefined): { page: number; favorites: boolean } {
  const [page, which] = (value ?? '').split(':');
  const n = Number(page);
  return { page: Number.isSafeInteger(n) && n > 0 ? n : 1, favorites: which === 'fav' };
}

/** Paging within one ticket (its messages, or the client's list seen through it): `ticketId:page`. */
export const ticketPageValue = (ticketId: number, page: number) => `${ticketId}:${page}`;
export function parseTicketPageValue(value: string | undefined): { ticketId: number; page: number } {
  const [ticketId, page] = (value ?? '').split(':');
  const n = Number(page);
  return { ticketId: parseTicketValue(ticketId), page: Number.isSafeInteger(n) && n > 0 ? n : 0 };
}

/** Message buttons: `messageId:ticketId`. */
export const messageValue = (messageId: number, ticketId: number) => `${messageId}:${ticketId}`;
export function parseMessageValue(value: string | undefined): { messageId: number; ticketId: number } {
  const [messageId, ticketId] = (value ?? '').split(':');
  return { messageId: parseTicketValue(messageId), ticketId: parseTicketValue(ticketId) };
}

/** Modal metadata: the ticket (and message) a modal works on, plus where to report back. */
export interface ModalMeta {
  ticketId?: number;
  messageId?: number;
  /** Channel to post the outcome in when the modal was opened from a message. */
  channel?: string;
}
export const encodeMeta = (meta: ModalMeta) => JSON.stringify(meta);
export function parseMeta(raw: string | undefined): ModalMeta {
  try {
    const parsed = JSON.parse(raw || '{}') as ModalMeta;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
