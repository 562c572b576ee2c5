import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchBrowser, startServer } from './browser.ts';

/**
 * `npm run screenshots`: the sandbox's main views into docs/screenshots/ (referenced from the README
 * and docs/sandbox.md), made from a fresh `npm start` on an empty database.
 */
const OUT = 'docs/screenshots';

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${OUT}/${name}.png`);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  await mkdir(OUT, { recursive: true });
  const page = await browser.context.newPage();
  await page.goto(`${server.url}#as=UANNA&c=CTECH`);
  await page.locator('.msg').first().waitFor();
  await shoot(page, 'channel');
} finally {
  await browser.close();
  await server.stop();
}
