import * as os from 'os';

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** The share of all cores' time spent busy over the next `ms`. */
export async function cpuBusy(ms: number): Promise<number> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/**
 * Waits, at most `maxMs`, until the other programs on the machine leave its cores idle (under `threshold` busy over
 * 3 s): on a shared machine their work would otherwise land in one engine's times and not in another's. Returns
 * the share busy when it stopped waiting, which the results keep.
 */
export async function waitForIdle(threshold: number, maxMs: number, onWait: (busy: number) => void): Promise<number> {
  const until = Date.now() + maxMs;
  let busy = await cpuBusy(3000);
  let told = false;
  while (busy >= threshold && Date.now() < until) {
    if (!told) onWait(busy);
    told = true;
    busy = await cpuBusy(3000);
  }
  return busy;
}
