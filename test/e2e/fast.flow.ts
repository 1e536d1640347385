// A fast job as a person meets it: right-click an image, "Stylize Fast with…", pick the style, and the picture is
// there in a moment (timed with the worker not yet started, then with it running); the strength slider renders it
// again; Save writes that version under the next free name. Screenshots go to artifacts/e2e/fast/.
import { copyFileSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';

/** The shipped samples: a photo and a painting look like what people stylize, in the screenshots too. */
const SAMPLES = path.resolve(__dirname, '../../../samples');

function jobPanels(wb: Workbench) {
  return wb.page.locator('iframe.webview.ready[src*="extensionId=neural-style.neural-style"]');
}

function jobPanel(wb: Workbench, i = 0) {
  return jobPanels(wb).nth(i).contentFrame().frameLocator('#active-frame');
}

async function until(what: string, check: () => Promise<boolean>, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** "Stylize Fast with…" on dog.jpg with kandinsky.jpg; resolves with the seconds from the choice to the picture. */
async function stylizeFast(wb: Workbench, panelIndex: number, shots: boolean): Promise<number> {
  const row = await wb.waitForExplorerFile('dog.jpg');
  const item = await wb.openContextMenu(row, 'Stylize Fast with…');
  if (shots) await wb.shot('context-menu-fast');
  await wb.clickMenuItem(item);
  const quickInput = wb.page.locator('.quick-input-widget');
  await quickInput.locator('input').first().waitFor();
  await quickInput.locator('input').first().fill('kandinsky.jpg');
  await quickInput.locator('.monaco-list-row', { hasText: 'kandinsky.jpg' }).first().waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  await wb.page.keyboard.press('Enter');
  await until('the fast picture shows', async () => jobPanel(wb, panelIndex).locator('#result').isVisible({ timeout: 100 }), 30_000);
  return (Date.now() - t0) / 1000;
}

export default async function fast(wb: Workbench): Promise<void> {
  for (const f of ['dog.jpg', 'kandinsky.jpg']) copyFileSync(path.join(SAMPLES, f), path.join(wb.workspace, f));
  // Large enough to look at; the fixture's 96 px is for the optimisation's quick runs.
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.maxSize":\s*\d+/, '"neuralStyle.maxSize": 512'));
  const cold = await stylizeFast(wb, 0, true);
  const panel = jobPanel(wb);
  await until('the job is done', async () => (await panel.locator('#status').textContent()) === 'Done');
  await wb.shot('fast-done');
  wb.log(`the fast picture showed ${cold.toFixed(2)} s after the style was chosen (the worker not yet started)`);
  await wb.waitForExplorerFile('dog.kandinsky.stylized.png');
  wb.log('dog.kandinsky.stylized.png is in the explorer');

  // The strength slider renders again; the newest picture replaces the shown one, unsaved.
  const result = panel.locator('#result');
  const times: number[] = [];
  for (const strength of ['0.5', '0.2']) {
    const before = await result.getAttribute('src');
    const t0 = Date.now();
    await panel.locator('#strength').fill(strength);
    await until(`the picture at strength ${strength} shows`, async () => (await result.getAttribute('src')) !== before, 10_000);
    times.push((Date.now() - t0) / 1000);
    await wb.shot(`strength-${strength}`);
  }
  wb.log(`moving the slider re-rendered in ${times.map((t) => t.toFixed(2)).join(' and ')} s`);
  const strengthShown = await panel.locator('[data-stat="strength"]').textContent();
  if (strengthShown !== '0.20') throw new Error(`the panel says strength ${strengthShown}, not 0.20`);

  await panel.getByRole('button', { name: 'Save' }).click();
  await wb.waitForExplorerFile('dog.kandinsky.stylized-1.png');
  await wb.shot('strength-saved');
  wb.log('Save wrote the 0.2 version as dog.kandinsky.stylized-1.png; the first result is kept');

  // Before and after: the edge between the content and the result follows the comparison slider.
  await panel.locator('.compare input[type="range"]').fill('80');
  await wb.shot('before-after');
  await panel.getByRole('button', { name: 'Optimize with VGG19' }).waitFor();
  wb.log('the panel offers "Optimize with VGG19" on the same pair');

  // With the worker running, the next fast job, in a panel of its own beside the first.
  const warm = await stylizeFast(wb, 1, false);
  await wb.shot('fast-warm');
  wb.log(`with the worker running, the fast picture showed ${warm.toFixed(2)} s after the style was chosen, in a second panel`);
}
