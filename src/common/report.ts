import type { BackendName } from './backends';
import type { AnimationFormat } from './formats';

/** The loss of an image (or tile) at one step: the total and its style, content and total-variation terms. */
export interface Losses {
  readonly total: number;
  readonly style: number;
  readonly content: number;
  readonly tv: number;
}

/** Where an optimisation is, after each of its steps. */
export interface Progress {
  /** Steps done over the whole run, and in all. */
  readonly step: number;
  readonly totalSteps: number;
  /** Index of the current scale (0-based) and how many there are. */
  readonly stage: number;
  readonly stages: number;
  /** In a tiled stage, the tile being refined (0-based) and how many there are. */
  readonly tile?: { readonly index: number; readonly count: number };
  /** The size of the image at this scale (the whole image, also while a tile of it is refined). */
  readonly width: number;
  readonly height: number;
  /** Losses of the image, or of the tile being refined, at this step. */
  readonly losses: Losses;
  readonly elapsedMs: number;
  /** Compute so far in full-size step equivalents (each step weighted by its pixels over the output's). */
  readonly stepEquivalents: number;
  /** The whole run's compute in the same unit, as planned. */
  readonly totalStepEquivalents: number;
}

/** Where an animation's fast job is, after each of its frames: "frame 37/100". */
export interface FrameProgress {
  /** Frames done (1-based: the frame just made), and in all. */
  readonly frame: number;
  readonly frames: number;
  readonly elapsedMs: number;
}

export const OUTCOMES = ['done', 'cancelled', 'diverged'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * How a run ended, everything but its picture: what the CLI prints, the output records and the panel shows. It
 * travels from the engine to the panel as it is; each layer only adds what it knows (the image, the encoded bytes,
 * the backend).
 */
export interface RunReport {
  readonly outcome: Outcome;
  /** Why the run stopped early, for the user. */
  readonly message?: string;
  /** The last finite losses seen (none for a feed-forward run). */
  readonly losses?: Losses;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly stepEquivalents: number;
  /** The size of the picture made. */
  readonly width: number;
  readonly height: number;
}

/** A job's picture, encoded with its settings recorded inside, and how its run ended: what a job hands back. */
export interface ImagesResult extends RunReport {
  readonly bytes: Uint8Array;
  readonly backend: BackendName;
  /** The mask the picture was made with, as it was used (at the picture's size), as a greyscale PNG. */
  readonly mask?: Uint8Array;
  /** Set when the bytes are an animation: its format (which the file's name takes) and its frames. */
  readonly animation?: { readonly format: AnimationFormat; readonly frames: number };
}
