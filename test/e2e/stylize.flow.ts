// A person's first job: right-click an image in the explorer, "Stylize with…", pick the style, watch the panel
// (progress thumbnail, a loss curve that grows), see the result appear in the explorer, reload the window and find
// the finished panel again. A screenshot of each step goes to artifacts/e2e/stylize/.
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';

/** This extension's webview panels (other webviews, such as the image preview's, may linger in the page). */
function jobPanels(wb: Workbench) {
  return wb.page.locator('iframe.webview.ready[src*="extensionId=neural-style.neural-style"]');
}

/** The content of the only (or the i-th) job panel: VS Code nests it two frames deep. */
function jobPanel(wb: Workbench, i = 0) {
  return jobPanels(wb).nth(i).contentFrame().frameLocator('#active-frame');
}

/** The step the loss chart has reached, from its accessible label ("Loss curves up to step N: ..."). */
async function chartStep(wb: Workbench): Promise<number> {
  const label = (await jobPanel(wb).locator('.chart canvas').getAttribute('aria-label')) ?? '';
  return Number(/up to step (\d+)/.exec(label)?.[1] ?? 0);
}

async function until(what: string, check: () => Promise<boolean>, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export default async function stylize(wb: Workbench): Promise<void> {
  if (!process.env.NEURAL_STYLE_WEIGHTS) {
    wb.log('skipped: no VGG19 weights here (set NEURAL_STYLE_WEIGHTS to vgg19_partial_blocks1-3_notop.h5, ../shared/data/vgg19/)');
    return;
  }
  // Enough steps to watch the run in the panel (the fixture's 20 end in a few seconds).
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.steps":\s*\d+/, '"neuralStyle.steps": 120'));

  const row = await wb.waitForExplorerFile('content.png');
  // Contributions arrive a few seconds after the workbench: wait for them on an image before looking at a text file.
  await wb.openContextMenu(row, 'Stylize with…');
  await wb.page.keyboard.press('Escape');
  const notes = await wb.waitForExplorerFile('notes.txt');
  await wb.openContextMenu(notes, 'Copy Path');
  const offered = await wb.page.getByRole('menuitem', { name: 'Stylize with…' }).count();
  await wb.shot('no-stylize-on-text-file');
  await wb.page.keyboard.press('Escape');
  if (offered > 0) throw new Error('"Stylize with…" is offered on notes.txt');
  wb.log('notes.txt: no "Stylize with…" in its context menu');

  const item = await wb.openContextMenu(row, 'Stylize with…');
  await wb.shot('context-menu');
  await wb.clickMenuItem(item);
  wb.log('chose "Stylize with…" on content.png');

  const quickInput = wb.page.locator('.quick-input-widget');
  await quickInput.locator('input').first().waitFor();
  await quickInput.locator('input').first().fill('style.jpg');
  const styleItem = quickInput.locator('.monaco-list-row', { hasText: 'style.jpg' }).first();
  await styleItem.waitFor({ timeout: 30_000 });
  await wb.shot('style-picker');
  await wb.page.keyboard.press('Enter');
  wb.log('picked style.jpg');

  const panel = jobPanel(wb);
  await panel.locator('#current').waitFor({ timeout: 120_000 });
  await panel.locator('.strip .thumb img').first().waitFor();
  const early = await chartStep(wb);
  await wb.shot('panel-progress');
  wb.log(`the panel shows the evolving image and its thumbnails; the loss curve is at step ${early}`);
  await until('the loss curve grows', async () => (await chartStep(wb)) > early + 5);
  await wb.shot('panel-curve-grows');
  wb.log(`the loss curve grew to step ${await chartStep(wb)}`);

  await until('the job is done', async () => (await panel.locator('#status').textContent()) === 'Done', 180_000);
  await panel.locator('#result').waitFor();
  await wb.shot('panel-done');
  wb.log('the panel shows the result against the content');

  await wb.waitForExplorerFile('content.style.stylized.png');
  await wb.shot('output-in-explorer');
  wb.log('content.style.stylized.png is in the explorer');

  await wb.page.keyboard.press('F1');
  await quickInput.locator('input').first().fill('>Developer: Reload Window');
  await quickInput.locator('.monaco-list-row', { hasText: 'Reload Window' }).first().waitFor();
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await until('the panel is back with the result', async () => (await jobPanel(wb).locator('#status').textContent()) === 'Done', 60_000);
  await jobPanel(wb).locator('#result').waitFor();
  await wb.shot('panel-after-reload');
  wb.log('after a window reload the panel shows the finished result');

  // Run again from the restored panel with fewer steps: a new panel, and the first result is kept.
  const again = jobPanel(wb);
  await again.locator('#again-steps').fill('10');
  await again.getByRole('button', { name: 'Run Again' }).click();
  // It opens beside the first panel, so two webviews show now: look at each.
  await until('the second run is done', async () => {
    for (let i = 0; i < (await jobPanels(wb).count()); i++) {
      const page = jobPanel(wb, i);
      if ((await page.locator('[data-stat="step"]').textContent({ timeout: 1000 })) === '10 of 10' &&
        (await page.locator('#status').textContent()) === 'Done') return true;
    }
    return false;
  }, 120_000);
  await wb.waitForExplorerFile('content.style.stylized-1.png');
  await wb.shot('run-again-done');
  wb.log('"Run Again" with 10 steps wrote content.style.stylized-1.png beside the first result');

  // The built-in image preview offers it in its editor title. Checked last: in this headless browser a second
  // webview opened earlier can hold up the loading of the next one (a service worker hand-over).
  await row.dblclick();
  const titleAction = wb.page.locator('.editor-actions [aria-label^="Stylize with"]');
  await titleAction.waitFor({ timeout: 30_000 });
  await wb.shot('image-preview-title');
  wb.log('the image preview of content.png has "Stylize with…" in its title');
  await wb.page.keyboard.press('Control+W');
}
