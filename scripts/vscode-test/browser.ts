// Debian's Chromium, headless, driven by Playwright (playwright-core: it never downloads a browser of its own).
import * as path from 'path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM } from './setup';

export interface Browser { page: Page; close(): Promise<void> }

/**
 * A fresh profile each time (Playwright's own temp one); the flags keep Chromium off the network it lacks here,
 * and XDG_CONFIG_HOME under the run's `tmp` keeps its crash reporter's database out of ~/.config.
 */
export async function launchBrowser(tmp: string): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'chromium-config') },
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  return { page, close: () => browser.close().catch(() => {}) };
}
