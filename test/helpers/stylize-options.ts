import type { StyleOptions } from '../../src/common/options';
import { planOptimization } from '../../src/engine/plan';
import { stylize, type StylizeRequest, type StylizeResult } from '../../src/engine/run';

/** A run of `options` as the pipeline plans it, for tests that state options rather than plans. */
export function stylizeWithOptions(req: Omit<StylizeRequest, 'plan'> & { readonly options: StyleOptions }): Promise<StylizeResult> {
  const { options, ...rest } = req;
  return stylize({ ...rest, plan: planOptimization(
    options,
    { name: 'content', width: req.content.width, height: req.content.height },
    req.styles.map((s, i) => ({ name: `style ${i + 1}`, width: s.width, height: s.height })),
    req.backend,
  ) });
}
