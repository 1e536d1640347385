import type { Losses } from '../../src/common/report';

/** The project's backends (bench/speed/engine.ts). */
export const BACKENDS = ['onnx', 'wasm', 'tensorflow'] as const;
/**
 * The peers: the same step as a user would write it today, in PyTorch (bench/speed/torch_peer.py: eager, channels_last,
 * torch.compile, bf16 autocast) and in TensorFlow (bench/speed/tf_peer.py: its tutorial's train_step, and with XLA).
 */
export const PEERS = ['pytorch-eager', 'pytorch-channels-last', 'pytorch-compile', 'pytorch-bf16', 'tf-tutorial', 'tf-xla'] as const;
export const ENGINES = [...BACKENDS, ...PEERS] as const;
export type EngineName = (typeof ENGINES)[number];
export type PeerName = (typeof PEERS)[number];
export const isPeer = (engine: EngineName): engine is PeerName => (PEERS as readonly string[]).includes(engine);

/**
 * One engine, one size: what a child process (bench/speed/engine.ts, or a peer's Python script) reads as JSON
 * on stdin. Every engine loads the same weights file and raw images and does the same work: targets from the style
 * and content images, then `warmup + steps` evaluations (losses and image gradient) at `start`.
 */
export interface Job {
  readonly engine: EngineName;
  readonly size: number;
  readonly threads: number;
  /** A Keras-layout VGG19 weights file (.h5). */
  readonly weights: string;
  /** Raw float32 HWC RGB in [0, 1], size x size. */
  readonly images: { readonly style: string; readonly content: string; readonly start: string };
  readonly problem: {
    readonly style: ReadonlyArray<{ readonly layer: string; readonly weight: number }>;
    readonly content: ReadonlyArray<{ readonly layer: string; readonly weight: number }>;
    readonly tvWeight: number;
  };
  readonly warmup: number;
  readonly steps: number;
  /** Record the process's memory every this many steps (the growth run). */
  readonly sampleEvery?: number;
}

export interface MemorySample {
  readonly step: number;
  readonly rssMB: number;
  /** JS heap plus ArrayBuffers: objects that a leak on the JavaScript side would pile up. */
  readonly jsMB: number;
}

/** What a child writes as one JSON line on stdout. */
export type Outcome =
  | {
      readonly engine: EngineName;
      readonly detail: string;
      /** Loading the weights and computing the targets. */
      readonly setupMs: number;
      /** Building the loss model and its session (not counted per step). */
      readonly sessionMs?: number;
      readonly stepMs: readonly number[];
      /** Of the first evaluation: every engine must report the same. */
      readonly losses: Losses;
      readonly peakRssMB: number;
      readonly memory?: readonly MemorySample[];
    }
  | { readonly engine: EngineName; readonly skipped: string };
