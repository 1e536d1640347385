// What the flows share: waiting for a condition, this extension's panels, and picking in a quick pick.
import type { FrameLocator, Locator } from 'playwright-core';
import type { Workbench } from '../../scripts/vscode-test/e2e/workbench';

export async function until(what: string, check: () => Promise<boolean>, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** This extension's webview panels (a job's panel, the style grid, a folder's summary). */
export function panels(wb: Workbench) {
  return wb.page.locator('iframe.webview.ready[src*="extensionId=neural-style.neural-style"]');
}

/** The page of the first panel that shows `selector`. */
export async function panelWith(wb: Workbench, selector: string, timeout = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (let i = 0; i < (await panels(wb).count()); i++) {
      const page = panels(wb).nth(i).contentFrame().frameLocator('#active-frame');
      if (await page.locator(selector).count().catch(() => 0)) return page;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no panel shows ${selector}`);
}

/** Types `name` into the open quick pick and waits for its row (Enter then picks it). */
export async function pick(wb: Workbench, name: string): Promise<void> {
  const quickInput = wb.page.locator('.quick-input-widget');
  await quickInput.locator('input').first().waitFor();
  await quickInput.locator('input').first().fill(name);
  await quickInput.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
}

export function jobPanel(wb: Workbench, i = 0): FrameLocator {
  return panels(wb).nth(i).contentFrame().frameLocator('#active-frame');
}

/**
 * Waits until the panel shows the picture of the newest change it sent, and returns how long that took by the
 * panel's own clock (from the control moving to the picture drawn) and how many changes were sent meanwhile.
 */
export async function shown(panel: FrameLocator, sentBefore: number): Promise<{ ms: number; changes: number; each: number[] }> {
  const app = panel.locator('#app');
  const result = panel.locator('#result');
  let sent = 0;
  await until('the newest change shows', async () => {
    sent = Number(await app.getAttribute('data-sent'));
    return sent > sentBefore && (await result.getAttribute('data-seq')) === String(sent);
  }, 30_000);
  // "seq:ms" of each picture shown: those of this step's changes.
  const each = ((await app.getAttribute('data-latencies')) ?? '').split(' ').map((p) => p.split(':').map(Number))
    .filter(([seq]) => seq > sentBefore).map(([, ms]) => ms);
  return { ms: Number(await result.getAttribute('data-latency-ms')), changes: sent - sentBefore, each };
}

export const sentSoFar = async (panel: FrameLocator) => Number((await panel.locator('#app').getAttribute('data-sent')) ?? 0);

/** Drags a range input's thumb by mouse from where it is to `to` (0 to 1 along it), in steps, as a hand would. */
export async function drag(wb: Workbench, slider: Locator, to: number): Promise<void> {
  const box = (await slider.boundingBox())!;
  const at = await slider.evaluate((el) => {
    const input = el as unknown as { value: string; min: string; max: string };
    return (Number(input.value) - Number(input.min)) / (Number(input.max) - Number(input.min));
  });
  const y = box.y + box.height / 2;
  const x = (f: number) => box.x + 8 + f * (box.width - 16);
  await wb.page.mouse.move(x(at), y);
  await wb.page.mouse.down();
  await wb.page.mouse.move(x(to), y, { steps: 12 });
  await wb.page.mouse.up();
}
