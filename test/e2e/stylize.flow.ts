// A person's first job: right-click an image in the explorer, "Stylize with…", pick the style, watch the panel
// (progress thumbnail, a loss curve that grows), see the result appear in the explorer, reload the window and find
// the finished panel again. A screenshot of each step goes to artifacts/e2e/stylize/.
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';

/** The step the loss chart has reached, from its accessible label ("Loss curves up to step N: ..."). */
async function chartStep(wb: Workbench): Promise<number> {
  const label = (await wb.webviewFrame().locator('.chart canvas').getAttribute('aria-label')) ?? '';
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
    throw new Error('NEURAL_STYLE_WEIGHTS is not set: point it at vgg19_partial_blocks1-3_notop.h5 (../shared/data/vgg19/)');
  }
  // Enough steps to watch the run in the panel (the fixture's 20 end in a few seconds).
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.steps":\s*\d+/, '"neuralStyle.steps": 120'));

  const notes = await wb.waitForExplorerFile('notes.txt');
  await wb.openContextMenu(notes, 'Copy Path');
  const offered = await wb.page.getByRole('menuitem', { name: 'Stylize with…' }).count();
  await wb.shot('no-stylize-on-text-file');
  await wb.page.keyboard.press('Escape');
  if (offered > 0) throw new Error('"Stylize with…" is offered on notes.txt');
  wb.log('notes.txt: no "Stylize with…" in its context menu');

  const row = await wb.waitForExplorerFile('content.png');
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

  const panel = wb.webviewFrame();
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
  await until('the panel is back with the result', async () => (await wb.webviewFrame().locator('#status').textContent()) === 'Done', 60_000);
  await wb.webviewFrame().locator('#result').waitFor();
  await wb.shot('panel-after-reload');
  wb.log('after a window reload the panel shows the finished result');
}
