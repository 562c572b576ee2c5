import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchBrowser, startServer } from './browser.ts';

/**
 * `npm run screenshots`: the sandbox's main views into docs/screenshots/ (shown in the README and
 * docs/sandbox.md), from a fresh `npm start` on an empty database, clicked through as a visitor would.
 */
const OUT = 'docs/screenshots';

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${OUT}/${name}.png`);
}

async function type(page: Page, text: string): Promise<void> {
  await page.fill('#composer textarea', text);
  await page.press('#composer textarea', 'Enter');
}

const server = await startServer();
const browser = await launchBrowser();
try {
  await mkdir(OUT, { recursive: true });
  const page = await browser.context.newPage();
  const card = page.locator('#messages .msg').filter({ hasText: '#14 · Kernel panic after update' });
  await page.goto(`${server.url}#as=UANNA&c=CTECH`);
  await page
    .locator('#messages .msg')
    .filter({ hasText: '#61 · Site hacked?' })
    .locator('.thread-link')
    .waitFor({ timeout: 90_000 });

  await type(page, '/ticket');
  await page.locator('#messages .msg.ephemeral').filter({ hasText: 'Ticket queue' }).waitFor();
  await shoot(page, 'queue');

  await card.locator('.thread-link').click();
  await page.locator('#replies .msg').first().waitFor();
  await shoot(page, 'card-and-thread');

  await card.getByRole('button', { name: 'Reply' }).click();
  await page.locator('#modal .bk-textarea').waitFor();
  await page.locator('#modal .bk-textarea').fill('Please boot the previous kernel from the rescue menu.');
  await shoot(page, 'reply-modal');
  await page.click('.modal-close');

  await page.click('.nav-channel[data-channel="DANNA"]');
  await page.click('[data-tab="home"]');
  await page.locator('#messages.home .bk-section').first().waitFor();
  await shoot(page, 'app-home');

  await page.selectOption('#identity', 'UALEX');
  await page.click('.nav-channel[data-channel="CACME"]');
  await type(page, '/support');
  await page.locator('#messages .msg.ephemeral').filter({ hasText: 'Your tickets' }).waitFor();
  await shoot(page, 'client-slack-connect');

  await page.selectOption('#identity', 'UANNA');
  await page.click('.nav-channel[data-channel="CTECH"]');
  await page.click('.clock-step[data-step="morning"]');
  await page.locator('#messages .msg').filter({ hasText: 'Queue digest' }).waitFor({ timeout: 30_000 });
  await shoot(page, 'digest');
} finally {
  await browser.close();
  await server.stop();
}
