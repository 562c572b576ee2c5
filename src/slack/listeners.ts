import type { App } from '@slack/bolt';
import type { SlackDeps } from './directory.ts';
import { close, favorite, logInAsClient, pageClientView, unblock } from './handlers/card-buttons.ts';
import {
  openAbuse,
  openAssign,
  openCharge,
  openDeadline,
  openPriority,
  openReply,
} from './handlers/card-open.ts';
import {
  submitAbuse,
  submitAssign,
  submitCharge,
  submitDeadline,
  submitPriority,
  submitReply,
} from './handlers/card-submit.ts';
import {
  clientArchive,
  clientBuy,
  clientNew,
  clientOpen,
  clientPage,
  clientReply,
  clientTicketPage,
  submitBuy,
  submitClientNew,
  submitClientReply,
} from './handlers/client-actions.ts';
import { clientOptions, submitFilter, submitNewTicket } from './handlers/forms.ts';
import { homeOpened, homeRefresh } from './handlers/home.ts';
import {
  editMessage,
  hideMessage,
  openMessages,
  pageMessages,
  splitMessage,
  submitMessageEdit,
} from './handlers/messages.ts';
import { openFromQueue, pageQueue } from './handlers/queue.ts';
import { oncallAck, submitSettings } from './handlers/schedule.ts';
import { supportCommand } from './handlers/support-command.ts';
import { channelShared, memberJoined, threadReply } from './handlers/thread-reply.ts';
import { ticketCommand } from './handlers/ticket-command.ts';
import { ACTION, OPTIONS, VIEW } from './ids.ts';

// biome-ignore lint/suspicious/noExplicitAny: Bolt's listener argument types differ per route kind.
type Listener = (args: any) => Promise<void>;

/** The routing table: every command, button, modal and event the app answers, one line each. */
export function routes(env: SlackDeps) {
  const commands: Record<string, Listener> = {
    '/ticket': ticketCommand(env),
    '/support': supportCommand(env),
  };
  const actions: Record<(typeof ACTION)[keyof typeof ACTION], Listener> = {
    [ACTION.reply]: openReply(env),
    [ACTION.priority]: openPriority(env),
    [ACTION.abuse]: openAbuse(env),
    [ACTION.deadline]: openDeadline(env),
    [ACTION.assign]: openAssign(env),
    [ACTION.charge]: openCharge(env),
    [ACTION.favorite]: favorite(env),
    [ACTION.close]: close(env),
    [ACTION.unblock]: unblock(env),
    [ACTION.messages]: openMessages(env),
    [ACTION.su]: logInAsClient(env),
    [ACTION.open]: openFromQueue(env),
    [ACTION.pagePrevious]: pageQueue(env),
    [ACTION.pageNext]: pageQueue(env),
    [ACTION.messageEdit]: editMessage(env),
    [ACTION.messageHide]: hideMessage(env),
    [ACTION.messageSplit]: splitMessage(env),
    [ACTION.messagesEarlier]: pageMessages(env),
    [ACTION.messagesNewer]: pageMessages(env),
    [ACTION.clientOpen]: clientOpen(env),
    [ACTION.clientReply]: clientReply(env),
    [ACTION.clientArchive]: clientArchive(env),
    [ACTION.clientNew]: clientNew(env),
    [ACTION.clientBuy]: clientBuy(env),
    [ACTION.clientPagePrevious]: clientPage(env),
    [ACTION.clientPageNext]: clientPage(env),
    [ACTION.clientTicketEarlier]: clientTicketPage(env),
    [ACTION.clientTicketNewer]: clientTicketPage(env),
    [ACTION.clientViewPrevious]: pageClientView(env),
    [ACTION.clientViewNext]: pageClientView(env),
    [ACTION.homeRefresh]: homeRefresh(env),
    [ACTION.oncallAck]: oncallAck(env),
    // A digest line opens the ticket exactly as a queue line does.
    [ACTION.digestOpen]: openFromQueue(env),
  };
  // Views without a submit button (loading, messages, client view) are never submitted.
  const views: Partial<Record<(typeof VIEW)[keyof typeof VIEW], Listener>> = {
    [VIEW.reply]: submitReply(env),
    [VIEW.priority]: submitPriority(env),
    [VIEW.abuse]: submitAbuse(env),
    [VIEW.deadline]: submitDeadline(env),
    [VIEW.assign]: submitAssign(env),
    [VIEW.charge]: submitCharge(env),
    [VIEW.newTicket]: submitNewTicket(env),
    [VIEW.filter]: submitFilter(env),
    [VIEW.messageEdit]: submitMessageEdit(env),
    [VIEW.clientNew]: submitClientNew(env),
    [VIEW.clientReply]: submitClientReply(env),
    [VIEW.buy]: submitBuy(env),
    [VIEW.scheduleSettings]: submitSettings(env),
  };
  // Selects whose options the app serves as people type (the manifest's options load URL).
  const options: Record<(typeof OPTIONS)[keyof typeof OPTIONS], Listener> = {
    [OPTIONS.clients]: clientOptions(env),
  };
  const events: Record<string, Listener> = {
    app_home_opened: homeOpened(env),
    message: threadReply(env),
    member_joined_channel: memberJoined(env),
    channel_shared: channelShared(env),
  };
  return { commands, actions, views, options, events };
}

export function registerListeners(app: App, env: SlackDeps): void {
  const r = routes(env);
  for (const [name, listener] of Object.entries(r.commands)) app.command(name, listener);
  for (const [id, listener] of Object.entries(r.actions)) app.action({ action_id: id }, listener);
  for (const [id, listener] of Object.entries(r.views))
    if (listener) app.view({ callback_id: id, type: 'view_submission' }, listener);
  for (const [id, listener] of Object.entries(r.options)) app.options({ action_id: id }, listener);
  for (const [name, listener] of Object.entries(r.events)) app.event(name, listener);
}
