import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { TicketError } from '../../functions/errors.ts';
import type { Session } from '../../functions/types.ts';
import { claimOnce, releaseClaim } from '../../slack-store/dedupe.ts';
import type { SlackDeps } from '../directory.ts';
import { fieldErrors } from '../field-errors.ts';
import { staffActor } from '../identity.ts';
import { parseMeta, parseTicketPageValue } from '../ids.ts';
import { errorText } from '../reply-error.ts';
import { audienceOf, tell } from '../tell.ts';
import { loadingModal, refusalModal } from '../views/ticket-modals.ts';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/** Slack waits 3 s for an ack; a modal submission that takes longer is acked and answered later. */
const ACK_BUDGET_MS = 2500;
/** Clicks of the same button by the same user closer than this are one click. */
const DOUBLE_CLICK_MS = 5000;
/** How long a submitted modal stays submitted (Slack does not resubmit older views). */
const SUBMITTED_MS = 24 * 60 * 60_000;

/** The value of the clicked button or chosen option. */
export function actionValue(args: ActionArgs): string {
  const action = args.body.actions[0] as { value?: string; selected_option?: { value: string } } | undefined;
  return action?.value ?? action?.selected_option?.value ?? '';
}

/** Runs an interaction's work after ack; any refusal or failure is told to the user only. */
export async function guarded(args: ActionArgs | CommandArgs, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await tell(audienceOf(args), errorText(error));
  }
}

/**
 * A button that changes something: acks, ignores the second click of a double click (across
 * replicas, through the database), then works.
 */
export async function clickOnce(env: SlackDeps, args: ActionArgs, work: () => Promise<void>): Promise<void> {
  await args.ack();
  const key = `click:${args.body.user.id}:${args.body.actions[0]?.action_id}:${actionValue(args)}`;
  if (!(await claimOnce(env.deps.db, key, env.deps.now(), DOUBLE_CLICK_MS))) return;
  await guarded(args, work);
}

/**
 * Opens a modal at once (the trigger_id dies after 3 s), then does the database work and fills it
 * in with views.update. A refusal replaces the modal's content. `push` stacks it on an open modal.
 */
export async function modalAfterLoading(
  args: ActionArgs | CommandArgs,
  title: string,
  build: () => Promise<ModalView>,
  push = false,
): Promise<void> {
  const trigger_id = (args.body as { trigger_id: string }).trigger_id;
  const view = loadingModal(title);
  const opened = push
    ? await args.client.views.push({ trigger_id, view })
    : await args.client.views.open({ trigger_id, view });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error('Slack opened the modal without telling its id');
  let filled: ModalView;
  try {
    filled = await build();
  } catch (error) {
    filled = refusalModal(title, errorText(error).replace(/^:\w+: /, ''));
  }
  await args.client.views.update({ view_id: viewId, hash: opened.view?.hash, view: filled });
}

/**
 * A modal submission: runs the work before acking, so a refusal comes back as field errors on the
 * field it concerns; if the work outlasts Slack's patience the modal is closed and the outcome told
 * later. The same modal is applied once, whatever Slack or the user's mouse do.
 */
export async function submitView(
  env: SlackDeps,
  args: ViewArgs,
  work: () => Promise<string | undefined>,
  aliases: Record<string, string> = {},
): Promise<void> {
  const view = args.body.view;
  const meta = parseMeta(view.private_metadata);
  const audience = { client: args.client, user: args.body.user.id, channel: meta.channel };
  const key = `view:${view.id}`;
  if (!(await claimOnce(env.deps.db, key, env.deps.now(), SUBMITTED_MS))) {
    await args.ack();
    return;
  }
  let acked = false;
  const late = setTimeout(() => {
    acked = true;
    void args.ack();
  }, ACK_BUDGET_MS);
  try {
    const outcome = await work();
    clearTimeout(late);
    if (!acked) await args.ack();
    if (outcome) await tell(audience, outcome);
  } catch (error) {
    clearTimeout(late);
    await releaseClaim(env.deps.db, key);
    const errors = error instanceof TicketError ? fieldErrors(error, view, aliases) : undefined;
    if (!acked && errors) {
      await args.ack({ response_action: 'errors', errors });
      return;
    }
    if (!acked) await args.ack();
    await tell(audience, errorText(error));
  }
}

/** The state of an input block's one element, whatever its action_id. */
function elementState(args: ViewArgs, blockId: string) {
  const block = args.body.view.state.values[blockId] ?? {};
  return Object.values(block)[0] as
    | {
        value?: string | null;
        selected_option?: { value: string } | null;
        selected_options?: { value: string }[];
        selected_date?: string | null;
        selected_time?: string | null;
      }
    | undefined;
}

/** The value of an input block of a submitted modal (text, select, radio, date, time). */
export function inputValue(args: ViewArgs, blockId: string): string {
  const state = elementState(args, blockId);
  return state?.value ?? state?.selected_option?.value ?? state?.selected_date ?? state?.selected_time ?? '';
}

/** The chosen values of a checkboxes or multi-select input. */
export function checkedValues(args: ViewArgs, blockId: string): string[] {
  return (elementState(args, blockId)?.selected_options ?? []).map((o) => o.value);
}

/** A paging button in a staff modal (Previous / Next): the same modal shows the page `render` draws. */
export function pageStaffModal(
  env: SlackDeps,
  render: (session: Session, ticketId: number, page: number) => Promise<ModalView>,
) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const { ticketId, page } = parseTicketPageValue(actionValue(args));
      const viewId = args.body.view?.id;
      if (viewId)
        await args.client.views.update({ view_id: viewId, view: await render(session, ticketId, page) });
    });
  };
}
