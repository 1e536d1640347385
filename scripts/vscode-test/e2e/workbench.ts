// What an end-to-end flow gets: the page showing the workbench, and helpers for what VS Code's DOM makes awkward.
// A flow is a file test/e2e/<name>.flow.ts whose default export is `async (wb: Workbench) => void` and throws
// to fail; scripts/vscode-test/e2e.ts runs each in its own code-server with the packaged extension installed.
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export type Flow = (wb: Workbench) => Promise<void>;

export class Workbench {
  private shots = 0;
  private readonly t0 = Date.now();

  constructor(
    readonly page: Page,
    /** The folder open in the workbench: a temp copy of test/fixtures/workspace with generated images. */
    readonly workspace: string,
    /** artifacts/e2e/<flow>/, where screenshots go. */
    readonly artifacts: string,
  ) {}

  /** Prints a step with the seconds since the flow started. */
  log(message: string): void {
    console.log(`  [${((Date.now() - this.t0) / 1000).toFixed(1)}s] ${message}`);
  }

  /** Saves a screenshot of the whole window as artifacts/e2e/<flow>/NN-<name>.png and returns its path. */
  async shot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The explorer's row for a file or folder, by exact name (rows are labelled with the bare name). */
  explorerRow(name: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label=${JSON.stringify(name)}]`);
  }

  /**
   * Waits for a file to show in the explorer: a new file appears once VS Code's file watcher reports it. A file
   * written while the watcher was still starting is never reported, so after a while the explorer is refreshed by
   * hand (Refresh Explorer), as a person would, and the wait goes on.
   */
  async waitForExplorerFile(name: string, timeout = 60_000): Promise<Locator> {
    const row = this.explorerRow(name);
    const deadline = Date.now() + timeout;
    for (;;) {
      const wait = Math.min(10_000, deadline - Date.now());
      if (await row.waitFor({ timeout: Math.max(wait, 1) }).then(() => true, () => false)) return row;
      if (Date.now() >= deadline) throw new Error(`the explorer never showed ${name} within ${timeout / 1000} s`);
      await this.runCommand('Refresh Explorer');
    }
  }

  /** Runs a command by its title from the command palette. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const quickInput = this.page.locator('.quick-input-widget');
    await quickInput.locator('input').first().fill(`>${title}`);
    await quickInput.locator('.monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /**
   * Right-clicks `row` until its context menu holds `itemName` and returns that item, the menu left open. An
   * extension's menu entries arrive a few seconds after the workbench shows (once the extension host has read
   * the extensions), and an open menu is never refreshed, so the menu is closed and opened again until then.
   */
  async openContextMenu(row: Locator, itemName: string | RegExp, timeout = 60_000): Promise<Locator> {
    const item = this.page.getByRole('menuitem', { name: itemName });
    const deadline = Date.now() + timeout;
    for (;;) {
      await row.click({ button: 'right' });
      try {
        await item.first().waitFor({ timeout: 1500 });
        return item.first();
      } catch {
        if (Date.now() > deadline) throw new Error(`the context menu never showed "${itemName}" within ${timeout / 1000} s`);
      }
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(500);
    }
  }

  /** Chooses a menu item: hover first (a click landing as the menu opens can be lost), then click, else Enter. */
  async clickMenuItem(item: Locator): Promise<void> {
    await item.hover();
    await this.page.waitForTimeout(300);
    await item.click();
    const closed = await item.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
    if (!closed) await item.press('Enter', { timeout: 2000 });
  }

  /** The content of the active webview panel: VS Code nests it two frames deep. */
  webviewFrame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }
}
