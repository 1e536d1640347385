import { intoBox } from '../../image/raster';
import type { Optimizer } from './optimizer';

export interface LbfgsSettings {
  /** Correction pairs kept; each costs two image-sized float32 arrays. */
  readonly history: number;
  /** Largest pixel change of the first, unscaled step (the image is in [0, 1]). */
  readonly initialStep: number;
}

export const DEFAULT_LBFGS: LbfgsSettings = { history: 10, initialStep: 0.05 };

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 6;

/**
 * Limited-memory BFGS (the paper's optimizer) with the box [0, 1] kept by projecting every trial point, and a
 * backtracking line search. It is written as a state machine over `step` calls so that the run loop stays the same
 * for every optimizer: each call brings the loss and gradient at the point the previous call proposed, and one
 * call is one loss-and-gradient evaluation, which is what a step costs.
 */
export class Lbfgs implements Optimizer {
  private pairs: Array<{ s: Float32Array; y: Float32Array; rho: number }> = [];
  private xk: Float32Array | undefined;
  private gk: Float32Array | undefined;
  private fk = 0;
  private dir: Float32Array | undefined;
  private t = 1;
  private backtracks = 0;

  constructor(private readonly s: LbfgsSettings) {}

  step(x: Float32Array, loss: number, grad: Float32Array): void {
    if (this.xk && this.gk) {
      const decrease = dotDiff(this.gk, x, this.xk);
      const sufficient = Number.isFinite(loss) && loss <= this.fk + ARMIJO * decrease;
      if (!sufficient) {
        this.backtracks++;
        if (this.backtracks > MAX_BACKTRACKS) {
          // The curvature model has gone bad: forget it and start again from the last accepted point.
          this.pairs = [];
          this.accept(this.xk.slice(), this.fk, this.gk.slice());
        } else {
          this.t /= 2;
        }
        this.propose(x);
        return;
      }
      this.remember(x, grad);
    }
    this.accept(x.slice(), loss, grad.slice());
    this.propose(x);
  }

  resize(): void {
    // Curvature pairs do not survive a change of image size; the next scale starts a fresh model.
    this.pairs = [];
    this.xk = this.gk = this.dir = undefined;
  }

  private remember(x: Float32Array, grad: Float32Array): void {
    const xk = this.xk!;
    const gk = this.gk!;
    const s = new Float32Array(x.length);
    const y = new Float32Array(x.length);
    let sy = 0;
    for (let i = 0; i < x.length; i++) {
      s[i] = x[i] - xk[i];
      y[i] = grad[i] - gk[i];
      sy += s[i] * y[i];
    }
    // Only pairs with positive curvature keep the inverse-Hessian estimate positive definite.
    if (sy > 1e-10) {
      this.pairs.push({ s, y, rho: 1 / sy });
      if (this.pairs.length > this.s.history) this.pairs.shift();
    }
  }

  private accept(x: Float32Array, loss: number, grad: Float32Array): void {
    this.xk = x;
    this.fk = loss;
    this.gk = grad;
    this.dir = this.direction(grad);
    this.backtracks = 0;
    if (this.pairs.length === 0) {
      let gmax = 0;
      for (let i = 0; i < grad.length; i++) gmax = Math.max(gmax, Math.abs(grad[i]));
      this.t = gmax > 0 ? this.s.initialStep / gmax : 0;
    } else {
      this.t = 1;
    }
  }

  /** Two-loop recursion: -H g with the stored pairs; steepest descent when it would not descend. */
  private direction(g: Float32Array): Float32Array {
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let k = this.pairs.length - 1; k >= 0; k--) {
      const { s, y, rho } = this.pairs[k];
      const a = rho * dot(s, q);
      alphas[k] = a;
      for (let i = 0; i < q.length; i++) q[i] -= a * y[i];
    }
    if (this.pairs.length > 0) {
      const { s, y } = this.pairs[this.pairs.length - 1];
      const gamma = dot(s, y) / dot(y, y);
      for (let i = 0; i < q.length; i++) q[i] *= gamma;
    }
    for (let k = 0; k < this.pairs.length; k++) {
      const { s, y, rho } = this.pairs[k];
      const b = rho * dot(y, q);
      for (let i = 0; i < q.length; i++) q[i] += s[i] * (alphas[k] - b);
    }
    const d = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) d[i] = -q[i];
    if (dot(d, g) >= 0) {
      this.pairs = [];
      for (let i = 0; i < d.length; i++) d[i] = -g[i];
    }
    return d;
  }

  private propose(x: Float32Array): void {
    const xk = this.xk!;
    const d = this.dir!;
    for (let i = 0; i < x.length; i++) {
      x[i] = intoBox(xk[i] + this.t * d[i]);
    }
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** g . (x - x0) without allocating the difference. */
function dotDiff(g: Float32Array, x: Float32Array, x0: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * (x[i] - x0[i]);
  return s;
}
