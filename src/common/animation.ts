import type { AnimationFormat } from './formats';

/**
 * What an animation's header says about its frames: what its output keeps (no Node modules: the protocol's schemas,
 * which the webview loads, check it too).
 */
export interface Animation {
  readonly format: AnimationFormat;
  readonly frames: number;
  /** Each frame's delay in milliseconds, in order. */
  readonly delays: readonly number[];
  /** How many times it plays: 0 for ever. */
  readonly loop: number;
  /** The frames' size, as stored. */
  readonly width: number;
  readonly height: number;
}
