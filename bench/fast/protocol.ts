/** What bench/fast/run.ts asks of one child process, as JSON on its stdin. */
export interface FastJob {
  readonly engine: 'onnx' | 'tflite';
  readonly threads: number;
  readonly width: number;
  readonly height: number;
  /** Timed runs of each net, after one untimed. */
  readonly runs: number;
}

/** What the child answers, as the last line of its stdout. */
export type FastOutcome =
  | {
      readonly job: FastJob;
      readonly detail: string;
      /** Reading, converting and opening both nets. */
      readonly loadMs: number;
      /** The predictor on a 256x256 style image. */
      readonly predictorMs: readonly number[];
      /** The content's own vector: the predictor after the content's centre square is resized to 256 (onnx only). */
      readonly contentVectorMs: readonly number[];
      readonly transformerMs: readonly number[];
      /**
       * The transformer's part after the style vector enters, from a content prepared once: what a panel's control
       * costs in the nets (onnx only; absent from records made before 2026-12-03 18:00).
       */
      readonly repaintMs?: readonly number[];
      /** The process's peak resident memory once it has repainted too: both the whole transformer's session and its parts' (onnx only). */
      readonly repaintPeakRssMB?: number;
      /** The process's peak resident memory: a whole job's (for onnx, before the repaint's sessions open). */
      readonly peakRssMB: number;
    }
  | { readonly job: FastJob; readonly skipped: string };
