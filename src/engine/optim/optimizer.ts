/**
 * An optimizer over the image's pixels as a plain array, so that every backend shares it. The run loop evaluates
 * the loss and gradient at `x`, then calls `step`, which moves `x` (in place) to the next point to evaluate and
 * keeps it inside [0, 1].
 */
export interface Optimizer {
  step(x: Float32Array, loss: number, grad: Float32Array): void;
  /** Called before each stage (or tile) with its number of steps, for step-size schedules. */
  beginStage?(steps: number): void;
  /** Carries the state over to the next scale of a multi-scale run: `resample` maps an image-shaped array. */
  resize(resample: (a: Float32Array) => Float32Array): void;
}
