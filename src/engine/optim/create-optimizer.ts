import { Adam, type AdamSettings } from './adam';
import { Lbfgs, type LbfgsSettings } from './lbfgs';
import type { Optimizer } from './optimizer';

/** Which optimizer a run uses, with its settings. */
export type OptimizerPlan = ({ readonly kind: 'adam' } & AdamSettings) | ({ readonly kind: 'lbfgs' } & LbfgsSettings);

/** An optimizer for an image of `size` values. */
export function createOptimizer(plan: OptimizerPlan, size: number): Optimizer {
  return plan.kind === 'lbfgs' ? new Lbfgs(plan) : new Adam(plan, size);
}
