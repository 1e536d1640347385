import { SingleBar } from 'cli-progress';
import { PaceMeter, type Pace } from '../common/pace';
import { Throttle } from '../common/throttle';
import type { FrameProgress, Progress } from '../common/report';

export interface ProgressView {
  update(p: Progress): void;
  /** An animation's frames: "frame 37/100". */
  frame(p: FrameProgress): void;
  note(message: string): void;
  stop(): void;
}

const exp = (v: number) => v.toExponential(2);

/** "512x384", or "2048x1536 tile 3/12" while a large output is refined tile by tile. */
const size = (p: Progress) => `${p.width}x${p.height}${p.tile ? ` tile ${p.tile.index + 1}/${p.tile.count}` : ''}`;

/** Seconds per frame so far, and the time left at that pace. */
const framePace = (p: FrameProgress) => {
  const perFrame = p.elapsedMs / p.frame;
  return { speed: `${(perFrame / 1000).toFixed(2)} s/frame`, left: duration(perFrame * (p.frames - p.frame)) };
};

const speed = (pace: Pace) => (pace.stepsPerSecond > 0 ? `${(1 / pace.stepsPerSecond).toFixed(2)} s/step` : '? s/step');
const eta = (pace: Pace) => (pace.etaMs === undefined ? '?' : duration(pace.etaMs));

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** A bar with ETA on a terminal (cli-progress), plain lines otherwise, at most one a second. */
export function progressView(stream: NodeJS.WriteStream, quiet: boolean): ProgressView {
  if (quiet) return { update() {}, frame() {}, note: (m) => stream.write(m + '\n'), stop() {} };
  const meter = new PaceMeter();
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream, hideCursor: true, clearOnComplete: false,
      format: 'stylizing {bar} {value}/{total} | {size} | loss {loss} | {speed} | elapsed {elapsed} | ETA {left}',
    });
    const frames = new SingleBar({
      stream, hideCursor: true, clearOnComplete: false,
      format: 'stylizing {bar} frame {value}/{total} | {speed} | elapsed {elapsed} | ETA {left}',
    });
    let started = false;
    let framesStarted = false;
    return {
      frame(p) {
        const payload = { ...framePace(p), elapsed: duration(p.elapsedMs) };
        if (!framesStarted) frames.start(p.frames, p.frame, payload);
        else frames.update(p.frame, payload);
        framesStarted = true;
      },
      update(p) {
        const pace = meter.update(p);
        const payload = { size: size(p), loss: exp(p.losses.total), speed: speed(pace), elapsed: duration(p.elapsedMs), left: eta(pace) };
        if (!started) {
          bar.start(p.totalSteps, p.step, payload);
          started = true;
        } else {
          bar.update(p.step, payload);
        }
      },
      note(message) {
        if (started) bar.stop();
        if (framesStarted) frames.stop();
        stream.write(message + '\n');
        started = false;
        framesStarted = false;
      },
      stop() {
        if (started) bar.stop();
        if (framesStarted) frames.stop();
      },
    };
  }
  const lines = new Throttle(1000);
  return {
    update(p) {
      const pace = meter.update(p);
      // The first and last steps always get their line.
      if (!lines.due(p.elapsedMs) && p.step !== p.totalSteps && p.step !== 1) return;
      const l = p.losses;
      stream.write(
        `step ${p.step}/${p.totalSteps} ${size(p)} total ${exp(l.total)} style ${exp(l.style)} ` +
          `content ${exp(l.content)} tv ${exp(l.tv)} | ${speed(pace)} | elapsed ${duration(p.elapsedMs)} | eta ${eta(pace)}\n`,
      );
    },
    frame(p) {
      // The first and last frames always get their line.
      if (!lines.due(p.elapsedMs) && p.frame !== p.frames && p.frame !== 1) return;
      const { speed, left } = framePace(p);
      stream.write(`frame ${p.frame}/${p.frames} | ${speed} | elapsed ${duration(p.elapsedMs)} | eta ${left}\n`);
    },
    note: (m) => stream.write(m + '\n'),
    stop() {},
  };
}

export { duration };
