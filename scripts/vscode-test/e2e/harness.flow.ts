// The harness's own flow, run before the project's: the workbench shows the test workspace, a generated image's
// context menu opens and screenshots are saved. When this one fails, the harness is broken, not the extension.
import type { Workbench } from './workbench';

export default async function harness(wb: Workbench): Promise<void> {
  const row = await wb.waitForExplorerFile('content.png');
  wb.log('the explorer shows the generated content.png');
  await wb.shot('workbench');
  await wb.openContextMenu(row, 'Copy Path');
  wb.log('its context menu is open');
  await wb.shot('context-menu');
  await wb.page.keyboard.press('Escape');
}
