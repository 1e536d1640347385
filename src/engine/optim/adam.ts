import { intoBox } from '../../image/raster';
import type { Optimizer } from './optimizer';

export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Lower the learning rate to 0 along a half cosine over each stage's steps (else keep it constant). */
  readonly cosineDecay?: boolean;
}

/**
 * Adam exactly as Keras applies it (epsilon added to sqrt(v), bias correction folded into the step size), then
 * the clip to [0, 1] the tutorial does after every step.
 */
export class Adam implements Optimizer {
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;
  /** Steps into the current stage, and how many it has (for the cosine decay). */
  private k = 0;
  private stageSteps = 1;

  constructor(
    private readonly s: AdamSettings,
    size: number,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  step(x: Float32Array, _loss: number, g: Float32Array): void {
    const { learningRate, beta1, beta2, epsilon } = this.s;
    this.t++;
    const decay = this.s.cosineDecay ? 0.5 * (1 + Math.cos((Math.PI * Math.min(this.k++, this.stageSteps)) / this.stageSteps)) : 1;
    const lr = (learningRate * decay * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    const { m, v } = this;
    for (let i = 0; i < x.length; i++) {
      const gi = g[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      x[i] = intoBox(x[i] - (lr * m[i]) / (Math.sqrt(v[i]) + epsilon));
    }
  }

  beginStage(steps: number): void {
    this.k = 0;
    this.stageSteps = Math.max(1, steps);
  }

  resize(resample: (a: Float32Array) => Float32Array): void {
    this.m = resample(this.m);
    this.v = resample(this.v);
  }
}
