// Moving pictures and folders as a person meets them: an animated GIF right-clicked, "Stylize Fast with…", the
// panel counting its frames and then playing the result (saved as a GIF beside it); strength dragged, which
// re-renders its first frame while the hand moves and the whole animation when it lets go; then a folder
// right-clicked, "Stylize Folder Fast with…", one notification for the batch and a summary panel with the results
// as a grid, the file that is not an image listed as skipped. Screenshots go to artifacts/e2e/animation-folder/.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';
import { drag, jobPanel, panelWith, pick, sentSoFar, shown, until } from './flow-helpers';

const SAMPLES = path.resolve(__dirname, '../../../samples');

export default async function animationFolder(wb: Workbench): Promise<void> {
  for (const f of ['dog-pan.gif', 'kandinsky.jpg']) copyFileSync(path.join(SAMPLES, f), path.join(wb.workspace, f));
  const photos = path.join(wb.workspace, 'photos');
  mkdirSync(photos);
  copyFileSync(path.join(SAMPLES, 'dog.jpg'), path.join(photos, 'dog.jpg'));
  copyFileSync(path.join(SAMPLES, 'great-wave.jpg'), path.join(photos, 'wave.jpg'));
  copyFileSync(path.join(SAMPLES, 'dog-pan.gif'), path.join(photos, 'pan.gif'));
  writeFileSync(path.join(photos, 'notes.txt'), 'not a picture\n');
  // Large enough to look at; the fixture's 96 px is for the optimisation's quick runs (an animation is never enlarged).
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.maxSize":\s*\d+/, '"neuralStyle.maxSize": 512'));

  // An animation: the panel counts its frames, then plays the GIF written beside it.
  const row = await wb.waitForExplorerFile('dog-pan.gif');
  await wb.clickMenuItem(await wb.openContextMenu(row, 'Stylize Fast with…'));
  await pick(wb, 'kandinsky.jpg');
  await wb.page.keyboard.press('Enter');
  const panel = jobPanel(wb);
  await until('the job is done', async () => (await panel.locator('#status').textContent()) === 'Done');
  await wb.waitForExplorerFile('dog-pan.kandinsky.stylized.gif');
  const written = await sharp(path.join(wb.workspace, 'dog-pan.kandinsky.stylized.gif')).metadata();
  if (written.pages !== 8 || written.delay?.some((d) => d !== 120)) throw new Error(`the GIF written has ${written.pages} frames, delays ${written.delay}`);
  await panel.locator('.compare input[type="range"]').fill('0');
  await wb.shot('animation-done');
  wb.log('dog-pan.gif in Kandinsky\'s style: dog-pan.kandinsky.stylized.gif written, 8 frames of 120 ms, shown playing in the panel');

  // Strength dragged: the first frame follows the hand, the whole animation comes when it lets go.
  const before = await sentSoFar(panel);
  await drag(wb, panel.locator('#strength'), 0.5);
  const { ms, changes } = await shown(panel, before);
  wb.log(`strength dragged to 0.5: ${changes} changes sent; the whole animation showed ${(ms / 1000).toFixed(3)} s after the last (the panel's clock)`);
  const final = await panel.locator('#result').getAttribute('data-final');
  const frames = await panel.locator('[data-stat="frames"]').textContent();
  if (final !== 'true' || frames !== '8 (GIF)') throw new Error(`after the drag the panel shows ${final === 'true' ? 'the whole animation' : 'a single frame'}, frames "${frames}"`);
  await wb.shot('animation-strength');
  await panel.getByRole('button', { name: 'Save' }).click();
  await wb.waitForExplorerFile('dog-pan.kandinsky.stylized-1.gif');
  wb.log('Save wrote dog-pan.kandinsky.stylized-1.gif (strength 0.5); the first result is kept');

  // A folder: one notification for the batch, then the summary's grid.
  const folderRow = await wb.waitForExplorerFile('photos');
  await wb.clickMenuItem(await wb.openContextMenu(folderRow, 'Stylize Folder Fast with…'));
  await pick(wb, 'kandinsky.jpg');
  await wb.page.keyboard.press('Enter');
  const summary = await panelWith(wb, '#counts', 120_000);
  const counts = await summary.locator('#counts').textContent();
  const results = path.join(wb.workspace, 'photos.kandinsky.stylized');
  const files = existsSync(results) ? readdirSync(results).sort() : [];
  if (files.join(',') !== 'dog.png,pan.gif,wave.png') throw new Error(`the folder of results holds ${files.join(', ') || 'nothing'}`);
  if (!(await summary.locator('#skipped').textContent())?.includes('notes.txt')) throw new Error('the summary does not list notes.txt as skipped');
  await until('the grid shows its three pictures', async () => (await summary.locator('ul.grid img').count()) === 3);
  await wb.shot('folder-summary');
  wb.log(`Stylize Folder Fast with… on photos/: "${counts}"; photos.kandinsky.stylized/ holds ${files.join(', ')}`);
}
