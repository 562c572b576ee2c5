import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer } from './browser.ts';

/**
 * A day of support in the sandbox, in a real browser (Debian's Chromium) against `npm start` with
 * no Slack variables and an empty database: the bot, its jobs and the sandbox's Slack are the real
 * ones; the test only clicks and types as a visitor would. The steps share one server and browser.
 *
 * Ticket #14 of the demo data is Globex's "Kernel panic after update" in Technical support
 * (#tech-support); Gina is Globex's user linked to Slack.
 */
const TICKET = '#14';
const SUBJECT = 'Kernel panic after update';
// Generous caps for a loaded machine; on an idle one each step takes a second or two.
const WAIT = { timeout: 30_000 };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await browser.context.newPage();
  await page.goto(`${server.url}#as=UROSA&c=CTECH`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function be(person: string): Promise<void> {
  await page.selectOption('#identity', person);
}
async function go(channel: string): Promise<void> {
  await page.click(`.nav-channel[data-channel="${channel}"]`);
  await page.locator(`.nav-channel.active[data-channel="${channel}"]`).waitFor(WAIT);
}
async function type(text: string, where = '#composer'): Promise<void> {
  await page.fill(`${where} textarea`, text);
  await page.press(`${where} textarea`, 'Enter');
}
/** The newest message in the channel pane (or thread pane) that has this text. */
function message(text: string | RegExp, pane = '#messages'): Locator {
  return page.locator(`${pane} .msg`).filter({ hasText: text }).last();
}
function card(): Locator {
  return page.locator('#messages .msg:not(.ephemeral)').filter({ hasText: `${TICKET} · ${SUBJECT}` });
}
const modal = () => page.locator('#modal .modal');
async function confirm(): Promise<void> {
  await page.locator('#confirm [data-answer="yes"]').click();
}

describe('a support day in the sandbox page', { timeout: 90_000 }, () => {
  it('starts with the demo queue: cards in the department channel, the URL in the log', {
    timeout: 240_000,
  }, async () => {
    expect(server.log()).toContain('try the bot in a local Slack at http://');
    await card().waitFor({ timeout: 120_000 });
    expect(await page.locator('#messages .msg').count()).toBeGreaterThan(5);
    // The bot posts the demo's cards and their threads as jobs; the newest ticket's thread comes last.
    await message('#61 · Site hacked?').locator('.thread-link').waitFor({ timeout: 120_000 });
    expect(await page.locator('.nav-channel').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('tech-support'),
        expect.stringContaining('acme-support'),
      ]),
    );
  });

  it('staff: the queue, a ticket a colleague holds offers no Reply, unblocked, then a reply sent', async () => {
    // Rosa opens the ticket first and so holds its lock.
    await type(`/ticket ${TICKET.slice(1)}`);
    await message('Only visible to you').filter({ hasText: SUBJECT }).waitFor(WAIT);

    await be('UANNA');
    await type('/ticket client Globex');
    const queue = message('Ticket queue');
    await queue.waitFor(WAIT);
    const openFromQueue = () =>
      queue.locator('.bk-section', { hasText: TICKET }).getByRole('button', { name: 'Open' }).click();
    await openFromQueue();
    // ticket.edit refuses a reply while Rosa holds the lock: the opened ticket says who holds it, until when, and offers no Reply.
    const opened = message(/Only visible to you[\s\S]*Kernel panic/);
    await opened.getByText(/locked by Rosa Root until/).waitFor(WAIT);
    expect(await opened.getByRole('button', { name: 'Reply' }).count()).toBe(0);

    await opened.getByRole('button', { name: 'Unblock' }).click();
    await page.locator('#confirm').getByText(`Release the lock on ${TICKET}?`).waitFor(WAIT);
    await confirm();
    await message('Only visible to you')
      .filter({ hasText: /unblocked|released|lock/i })
      .waitFor(WAIT);

    // Opened again, Anna holds the lock and may reply. Slack itself refuses an empty required field.
    await openFromQueue();
    const reopened = message(/Only visible to you[\s\S]*Kernel panic/);
    await reopened.getByRole('button', { name: 'Reply' }).click();
    await modal().getByText(`Reply to ${TICKET}`).waitFor(WAIT);
    await page.click('.modal-submit');
    await modal().getByText('Please fill out this field.').waitFor(WAIT);
    await modal().locator('.bk-textarea').fill('Please boot the previous kernel from the rescue menu.');
    await page.click('.modal-submit');
    await modal().waitFor({ state: 'hidden', ...WAIT });
    await message(`Reply sent to the client of ${TICKET}`).waitFor(WAIT);
  });

  it('the card updates in place and its thread carries the reply', async () => {
    await card().filter({ hasText: 'Awaiting client' }).waitFor(WAIT);
    await card().locator('.thread-link').click();
    await message('Please boot the previous kernel', '#replies').waitFor(WAIT);
  });

  it('raising the priority pages whoever is on call; Ack takes it', async () => {
    await card().getByRole('button', { name: 'Priority' }).click();
    await modal().getByText('High priority (queue first)').waitFor(WAIT);
    await modal().getByLabel('Raise').check();
    await page.click('.modal-submit');
    await modal().waitFor({ state: 'hidden', ...WAIT });
    const paged = message('needs someone on call', '#replies');
    await paged.locator('.md-mention', { hasText: '@Anna Support' }).waitFor(WAIT);
    await paged.getByRole('button', { name: 'Ack' }).click();
    await message('was taken by', '#replies').waitFor(WAIT);
  });

  it('a staff message in the thread stays an internal note', async () => {
    await type('Looks like their custom kernel module, check with the vendor.', '#thread .composer');
    await message('Internal note', '#replies').waitFor(WAIT);
  });

  it('the client sees the reply in their DM, but not the note', async () => {
    await be('UGINA');
    // A client is in no department channel: staff cards, threads and notes are not theirs to see.
    await page.locator('.nav-channel[data-channel="CTECH"]').waitFor({ state: 'detached', ...WAIT });
    await go('DGINA');
    await message('Please boot the previous kernel').waitFor(WAIT);
    expect(await page.locator('#messages').textContent()).not.toContain('custom kernel module');
  });

  it('the client answers through /support; staff see it in the thread and close the ticket', async () => {
    await type(`/support ${TICKET.slice(1)}`);
    const shown = message(/Only visible to you[\s\S]*Kernel panic/);
    await shown.getByRole('button', { name: 'Reply' }).click();
    await modal().locator('.bk-textarea').waitFor(WAIT);
    await modal().locator('.bk-textarea').fill('That worked, thank you!');
    await page.click('.modal-submit');
    await modal().waitFor({ state: 'hidden', ...WAIT });

    await be('UANNA');
    await go('CTECH');
    await card().locator('.thread-link').click();
    await message('That worked, thank you!', '#replies').waitFor(WAIT);
    await card().getByRole('button', { name: 'Close' }).click();
    await confirm();
    await card().filter({ hasText: 'Closed' }).waitFor(WAIT);
  });

  it('the client archives the closed ticket', async () => {
    await be('UGINA');
    await go('DGINA');
    await type('/support');
    const list = message('Your tickets');
    await list
      .locator(`[data-block="client:${TICKET.slice(1)}"]`)
      .getByRole('button', { name: 'Archive' })
      .click();
    await confirm();
    // The list is replaced in place; archived tickets leave it.
    await list.getByText(SUBJECT).waitFor({ state: 'detached', ...WAIT });
    expect(await list.textContent()).toContain('Your tickets');
  });

  it('moving the clock to the next business morning brings the digest', async () => {
    await be('UANNA');
    await go('CTECH');
    await page.click('.clock-step[data-step="morning"]');
    await message('Queue digest: Technical support').waitFor({ timeout: 60_000 });
  });
});
