import { SingleBar } from 'cli-progress';
import type { Progress } from '../engine/run';

export interface ProgressView {
  update(p: Progress): void;
  note(message: string): void;
  stop(): void;
}

const exp = (v: number) => v.toExponential(2);

/** "512x384", or "2048x1536 tile 3/12" while a large output is refined tile by tile. */
const size = (p: Progress) => `${p.width}x${p.height}${p.tile ? ` tile ${p.tile.index + 1}/${p.tile.count}` : ''}`;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/**
 * Time left, from the run's own pace: the remaining steps weighted by their pixels would be exact, but the stages
 * ahead are unknown here, so it extrapolates the time per step of the current scale, which errs on the short side
 * early in a multi-scale run and settles as it grows.
 */
function eta(p: Progress): number {
  return (p.elapsedMs / p.step) * (p.totalSteps - p.step);
}

/** A bar with ETA on a terminal (cli-progress), plain lines otherwise, at most one a second. */
export function progressView(stream: NodeJS.WriteStream, quiet: boolean): ProgressView {
  if (quiet) return { update() {}, note: (m) => stream.write(m + '\n'), stop() {} };
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50,
      format: 'stylizing {bar} {value}/{total} | {size} | loss {loss} | {speed} | elapsed {elapsed} | ETA {eta_formatted}',
    });
    let started = false;
    return {
      update(p) {
        const payload = { size: size(p), loss: exp(p.losses.total), speed: `${(p.elapsedMs / p.step / 1000).toFixed(2)} s/step`, elapsed: duration(p.elapsedMs) };
        if (!started) {
          bar.start(p.totalSteps, p.step, payload);
          started = true;
        } else {
          bar.update(p.step, payload);
        }
      },
      note(message) {
        if (started) bar.stop();
        stream.write(message + '\n');
        started = false;
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLine = -Infinity;
  return {
    update(p) {
      if (p.step !== p.totalSteps && p.step !== 1 && p.elapsedMs - lastLine < 1000) return;
      lastLine = p.elapsedMs;
      const l = p.losses;
      stream.write(
        `step ${p.step}/${p.totalSteps} ${size(p)} total ${exp(l.total)} style ${exp(l.style)} ` +
          `content ${exp(l.content)} tv ${exp(l.tv)} | ${(p.elapsedMs / p.step / 1000).toFixed(2)} s/step | ` +
          `elapsed ${duration(p.elapsedMs)} | eta ${duration(eta(p))}\n`,
      );
    },
    note: (m) => stream.write(m + '\n'),
    stop() {},
  };
}

export { duration };
