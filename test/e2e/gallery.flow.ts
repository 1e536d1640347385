// The style gallery as a person meets it: "Stylize Fast with…" offers the gallery's paintings after the recent
// styles; "Try All Styles" on a photo fills a grid with it in every painting, tile by tile (the first tile and the
// whole grid are timed from the menu click); the arrow keys and Space move and select; a click on a tile opens the
// fast studio for that pair at full size, whose controls render it again; Stylize Selected makes a job of each selected tile; Save All writes every
// tile's picture beside the photo. Screenshots go to artifacts/e2e/gallery/.
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';
import { panelWith, panels, until } from './flow-helpers';

const SAMPLES = path.resolve(__dirname, '../../../samples');
/** The gallery's size (src/gallery/paintings.ts); the test workspace has no style-like images of its own. */
const PAINTINGS = 20;

export default async function gallery(wb: Workbench): Promise<void> {
  copyFileSync(path.join(SAMPLES, 'dog.jpg'), path.join(wb.workspace, 'dog.jpg'));
  const settings = path.join(wb.workspace, '.vscode', 'settings.json');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/"neuralStyle\.maxSize":\s*\d+/, '"neuralStyle.maxSize": 512'));
  const row = await wb.waitForExplorerFile('dog.jpg');

  // The picker: recent (none yet), then the gallery with each painting's thumbnail, title and artist.
  await wb.clickMenuItem(await wb.openContextMenu(row, 'Stylize Fast with…'));
  const quickInput = wb.page.locator('.quick-input-widget');
  await quickInput.locator('.monaco-list-row', { hasText: 'The Starry Night' }).first().waitFor({ timeout: 30_000 });
  await quickInput.locator('.monaco-list-row', { hasText: 'Vincent van Gogh, 1889' }).first().waitFor();
  await wb.shot('picker-gallery');
  wb.log('"Stylize Fast with…" lists the gallery: The Starry Night, Vincent van Gogh, 1889, ...');
  await wb.page.keyboard.press('Escape');

  // Try All Styles, timed from the menu click with the worker not yet started.
  const item = await wb.openContextMenu(row, 'Try All Styles');
  await item.hover();
  const t0 = Date.now();
  await wb.clickMenuItem(item);
  const grid = await panelWith(wb, 'ul.grid');
  const rendered = grid.locator('.tile.rendered');
  await until('the first tile shows', async () => (await rendered.count()) > 0, 30_000);
  const first = (Date.now() - t0) / 1000;
  await until('every tile shows', async () => (await rendered.count()) === PAINTINGS, 60_000);
  const all = (Date.now() - t0) / 1000;
  wb.log(`Try All Styles: the first tile showed ${first.toFixed(2)} s after the click, all ${PAINTINGS} after ${all.toFixed(2)} s (worker not yet started)`);
  await wb.shot('grid');

  // The keyboard: focus moves with the arrows, Space selects.
  await grid.locator('#tile-0').focus();
  await wb.page.keyboard.press('ArrowRight');
  await grid.locator('#tile-1:focus').waitFor({ timeout: 5000 });
  await wb.page.keyboard.press(' ');
  await grid.locator('#tile-1[aria-selected="true"]').waitFor({ timeout: 5000 });
  await grid.getByRole('button', { name: 'Stylize Selected (1)' }).waitFor({ timeout: 5000 });
  wb.log('ArrowRight moved to the second tile, Space selected it');
  await wb.page.keyboard.press('Escape');

  // A click opens the fast studio for that pair at full size.
  const jobsBefore = await panels(wb).count();
  await grid.locator('#tile-2').click();
  const studio = await panelWith(wb, 'span#status');
  await until('the fast picture shows', async () => studio.locator('#result').isVisible({ timeout: 100 }), 30_000);
  await until('the job is done', async () => (await studio.locator('#status').textContent()) === 'Done');
  await wb.waitForExplorerFile('dog.the-scream.stylized.png');
  await wb.shot('grid-click-opens-studio');
  wb.log(`a click on The Scream opened the fast panel (${jobsBefore} panel(s) before) and wrote dog.the-scream.stylized.png`);
  // With the studio's live controls: the strength slider renders the pair again.
  const picture = studio.locator('#result');
  const shown = await picture.getAttribute('src');
  await studio.locator('#strength').fill('0.4');
  await until('the picture at strength 0.4 shows', async () => (await picture.getAttribute('src')) !== shown, 10_000);
  await until('the panel says strength 0.40', async () => (await studio.locator('[data-stat="strength"]').textContent()) === '0.40', 10_000);
  wb.log('its strength slider rendered The Scream again at 0.40');

  // Two tiles selected by Ctrl+click, stylized at once: a fast job (and its picture) each.
  await grid.locator('#tile-3').click({ modifiers: ['Control'] });
  await grid.locator('#tile-4').click({ modifiers: ['Control'] });
  await grid.getByRole('button', { name: 'Stylize Selected (2)' }).click();
  const written = (name: string) => existsSync(path.join(wb.workspace, name));
  await until('both selected pictures are written', async () => written('dog.composition-vii.stylized.png') && written('dog.the-kiss.stylized.png'));
  wb.log('Stylize Selected (2) wrote dog.composition-vii.stylized.png and dog.the-kiss.stylized.png');

  // Save All: every tile's picture at full size, under the usual names (the-scream and the two above get -1).
  await grid.getByRole('button', { name: 'Save All' }).click();
  await until('Save All is done', async () => /^Saved \d+ of \d+ pictures/.test((await grid.locator('#grid-status').textContent()) ?? ''), 60_000);
  const status = await grid.locator('#grid-status').textContent();
  const results = readdirSync(wb.workspace).filter((f) => /^dog\..+\.stylized(-\d+)?\.png$/.test(f));
  if (status !== `Saved ${PAINTINGS} of ${PAINTINGS} pictures in ${path.basename(wb.workspace)}.` || results.length !== PAINTINGS + 3) {
    throw new Error(`Save All: "${status}", ${results.length} results: ${results.join(', ')}`);
  }
  await wb.shot('save-all');
  wb.log(`Save All: "${status}"; the folder holds ${results.length} results`);
}
