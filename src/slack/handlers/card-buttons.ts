import { call } from '../../functions/registry.ts';
import { accountById } from '../../functions/slack-setup/slack-accounts.ts';
import type { Session } from '../../functions/types.ts';
import { isFavorite } from '../../slack-store/cards.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { parseTicketValue } from '../ids.ts';
import { audienceOf, tell } from '../tell.ts';
import { CLIENT_PAGE, clientViewModal } from '../views/client.ts';
import {
  type ActionArgs,
  actionValue,
  clickOnce,
  guarded,
  modalAfterLoading,
  pageStaffModal,
} from './interaction.ts';

/** A card button that runs one ticket function on the ticket and says what happened. */
function ticketButton(env: SlackDeps, name: string, said: (id: number) => string) {
  return (args: ActionArgs) =>
    clickOnce(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const id = parseTicketValue(actionValue(args));
      await call(env.deps, session, name, { elid: String(id), sok: 'ok' });
      await tell(audienceOf(args), said(id));
    });
}

/** Favorites are per staff member; the button adds, or removes a favorite (`remove=on`). */
export function favorite(env: SlackDeps) {
  return (args: ActionArgs) =>
    clickOnce(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const id = parseTicketValue(actionValue(args));
      const was = await isFavorite(env.deps.db, session.userId, id);
      await call(env.deps, session, 'ticket.favorite', {
        elid: String(id),
        sok: 'ok',
        ...(was ? { remove: 'on' } : {}),
      });
      const now = !was;
      await tell(
        audienceOf(args),
        now ? `:star: #${id} is one of your favorites.` : `#${id} is no longer a favorite.`,
      );
    });
}

export const close = (env: SlackDeps) => ticketButton(env, 'ticket.delete', (id) => `#${id} closed.`);
export const unblock = (env: SlackDeps) => ticketButton(env, 'ticket.unblock', (id) => `#${id} unblocked.`);

/**
 * Log in as client: ticket.su (audited) gives the client user; their own list is shown as they
 * see it, in a modal only the staff member sees.
 */
export function logInAsClient(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    const id = parseTicketValue(actionValue(args));
    await guarded(args, () =>
      modalAfterLoading(args, 'Client view', async () => {
        const { session } = await staffActor(env, args.body.user.id);
        return clientView(env, session, String(id));
      }),
    );
  };
}

/** Previous / Next in the client view: the same modal shows another page of the client's list. */
export const pageClientView = (env: SlackDeps) =>
  pageStaffModal(env, (session, ticketId, page) => clientView(env, session, String(ticketId), page));

export async function clientView(env: SlackDeps, staff: Session, elid: string, page = 1) {
  const su = await call(env.deps, staff, 'ticket.su', { elid });
  const user = su.su ? await accountById(env.deps.db, su.su.userId) : undefined;
  if (!user) throw new Error(`ticket.su gave no user for ticket ${elid}`);
  const session: Session = {
    userId: user.id,
    login: user.login,
    level: 'user',
    clientId: user.clientId ?? undefined,
    suBy: { userId: staff.userId, login: staff.login },
    via: 'slack',
  };
  const list = await call(env.deps, session, 'clientticket', {
    p_cnt: String(CLIENT_PAGE),
    p_num: String(page),
  });
  return clientViewModal(user.name, list, Number(elid));
}
