// A fast job as a person meets it: right-click an image, "Stylize Fast with…", pick the style, and the picture is
// there in a moment (timed with the worker not yet started); then the panel's live controls: strength and stroke
// size dragged, colours switched, a region painted with the brush, a second style added, Save (the picture and its
// mask), a window reload, and a control moved again on the restored panel. Each change's time from the control to
// the picture drawn, as the panel itself measures it, goes to the log. Screenshots go to artifacts/e2e/fast/.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';
import { drag, jobPanel, pick, sentSoFar, shown, until } from './flow-helpers';

/** The shipped samples: a photo and paintings look like what people stylize, in the screenshots too. */
const SAMPLES = path.resolve(__dirname, '../../../samples');

export default async function fast(wb: Workbench): Promise<void> {
  for (const f of ['dog.jpg', 'kandinsky.jpg', 'great-wave.jpg']) copyFileSync(path.join(SAMPLES, f), path.join(wb.workspace, f));
  // Large enough to look at; the fixture's 96 px is for the optimisation's quick runs.
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.maxSize":\s*\d+/, '"neuralStyle.maxSize": 512'));

  const row = await wb.waitForExplorerFile('dog.jpg');
  const item = await wb.openContextMenu(row, 'Stylize Fast with…');
  await wb.shot('context-menu-fast');
  await wb.clickMenuItem(item);
  await pick(wb, 'kandinsky.jpg');
  const t0 = Date.now();
  await wb.page.keyboard.press('Enter');
  let panel = jobPanel(wb);
  await until('the fast picture shows', async () => panel.locator('#result').isVisible({ timeout: 100 }), 30_000);
  wb.log(`the fast picture showed ${((Date.now() - t0) / 1000).toFixed(2)} s after the style was chosen (the worker not yet started)`);
  await until('the job is done', async () => (await panel.locator('#status').textContent()) === 'Done');
  await wb.waitForExplorerFile('dog.kandinsky.stylized.png');
  await wb.shot('fast-done');
  // From here on the comparison's edge is at the far left: the whole picture shows what the controls do.
  const wholePicture = () => panel.locator('.compare input[type="range"]').fill('0');
  await wholePicture();

  const step = async (what: string, act: () => Promise<void>, shot?: string) => {
    const before = await sentSoFar(panel);
    await act();
    const { ms, changes, each } = await shown(panel, before);
    const seconds = (x: number) => (x / 1000).toFixed(3);
    wb.log(`${what}: ${changes} change${changes === 1 ? '' : 's'} sent, ${each.length} picture${each.length === 1 ? '' : 's'} shown, ` +
      `each ${each.map(seconds).join(', ')} s after its change; the last ${seconds(ms)} s (the panel's clock)`);
    if (shot) await wb.shot(shot);
  };

  await step('strength dragged to 0.7', () => drag(wb, panel.locator('#strength'), 0.7), 'strength');
  const strength = await panel.locator('[data-stat="strength"]').textContent();
  if (Math.abs(Number(strength) - 0.7) > 0.05) throw new Error(`the panel says strength ${strength} after the drag to 0.7`);

  await step('stroke size dragged to ×2', () => drag(wb, panel.locator('#stroke'), 0.75), 'stroke-size');
  await step('colours switched to the content’s (histogram)', () => panel.locator('#colors-histogram').check(), 'colours-histogram');

  // The brush: a stroke keeps the content where it passes.
  await panel.locator('#paint').click();
  await step('a region painted with the brush', async () => {
    await panel.locator('#mask').scrollIntoViewIfNeeded();
    const box = (await panel.locator('#mask').boundingBox())!;
    // Over the dog's head and along its back.
    await wb.page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.35, { steps: 10 });
    await wb.page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.3, { steps: 10 });
    await wb.page.mouse.up();
  });
  // The brush off, the tint goes: the picture shows the region.
  await panel.locator('#paint').click();
  await wb.shot('brush-region');

  // A second style from the panel: the painted region takes it.
  await panel.locator('#add-style').click();
  await pick(wb, 'great-wave.jpg');
  const shownBefore = Number(await panel.locator('#app').getAttribute('data-shown'));
  await wb.page.keyboard.press('Enter');
  await panel.locator('#remove-style').waitFor({ timeout: 30_000 });
  await until('the picture with two styles shows', async () => Number(await panel.locator('#app').getAttribute('data-shown')) > shownBefore, 30_000);
  await wholePicture();
  await wb.shot('second-style');
  wb.log('a second style (the great wave) added from the panel: the painted region takes it');

  await panel.getByRole('button', { name: 'Save' }).click();
  await wb.waitForExplorerFile('dog.kandinsky+great-wave.stylized.png');
  await wb.waitForExplorerFile('dog.kandinsky+great-wave.stylized.mask.png');
  if (!existsSync(path.join(wb.workspace, 'dog.kandinsky+great-wave.stylized.mask.png'))) throw new Error('the mask was not saved');
  await wb.shot('saved');
  wb.log('Save wrote dog.kandinsky+great-wave.stylized.png and its mask; the first picture is kept');

  // After a window reload the panel comes back with the picture saved, its controls and its mask, and they render again.
  await wb.runCommand('Developer: Reload Window');
  await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  panel = jobPanel(wb);
  await panel.locator('#strength').waitFor({ timeout: 60_000 });
  const title = await panel.locator('h1').textContent();
  const restored = await panel.locator('[data-stat="strength"]').textContent();
  if (!title?.includes('great-wave.jpg') || restored !== strength) throw new Error(`the restored panel shows "${title}" at strength ${restored}`);
  await wholePicture();
  await wb.shot('restored');
  wb.log(`after a window reload the panel shows the saved picture (${title}, strength ${restored})`);
  await step('after the reload, strength dragged to 0.8 (the worker opens the job again from its files)', () => drag(wb, panel.locator('#strength'), 0.8), 'restored-moved');
}
