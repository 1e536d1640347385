import * as assert from 'node:assert/strict';
import { crossOptionProblems, resolveOptions, unusedOptions, type StyleOptionKey } from '../../../src/common/options';
import { planFast, planInputs } from '../../../src/engine/plan';

const flag = (key: StyleOptionKey) => `--${key}`;

describe('the options of stroke size, colours and masks', () => {
  it('reads the former preserveColors as colors "luminance", where colors is not set; refuses the two disagreeing', () => {
    assert.equal(resolveOptions({}).colors, 'style');
    assert.equal(resolveOptions({ preserveColors: true }).colors, 'luminance');
    assert.equal(resolveOptions({ preserveColors: false }).colors, 'style');
    assert.deepEqual(crossOptionProblems(resolveOptions({ preserveColors: true, colors: 'luminance' }), 1, flag), []);
    assert.deepEqual(crossOptionProblems(resolveOptions({ preserveColors: true, colors: 'histogram' }), 1, flag), [
      '--preserveColors is the former name of --colors "luminance" and disagrees with --colors "histogram"; leave it out',
    ]);
  });

  it('lets both methods use the stroke size and the colours', () => {
    for (const method of ['fast', 'optimize'] as const) assert.deepEqual(unusedOptions(method, ['styleScale', 'colors', 'preserveColors']), []);
  });

  it('plans the fast method to paint at the output size divided by the stroke size, decoding the content that large', () => {
    const content = { name: 'c.png', width: 1000, height: 500 };
    const at = (styleScale: number) => resolveOptions({ method: 'fast', maxSize: 512, styleScale });
    assert.deepEqual(planInputs(at(0.5)).content, 1024);
    assert.deepEqual(planInputs(at(2)).content, 512);
    const plan = planFast(at(2), content, 1, flag);
    assert.ok(plan.method === 'fast' && plan.styleScale === 2 && plan.width === 512 && plan.height === 256);
    assert.deepEqual(crossOptionProblems(at(0.125), 1, flag), []);
    assert.deepEqual(crossOptionProblems(at(0.1), 1, flag), [
      '--styleScale 0.1 has the fast method paint at 5120 px (--maxSize 512 / 0.1), over its 4096; choose a style scale of at least 0.125',
    ]);
    assert.throws(() => planFast(resolveOptions({ method: 'fast', maxSize: 16, styleScale: 4 }), content, 1, flag),
      /c\.png is too small for the fast method: at 16x8 px \(painted at 4x2 for --styleScale 4\) it must be at least 5 px on each side/);
  });

  it('takes a mask with one style, or two for the fast method without blend weights', () => {
    const fast = resolveOptions({ method: 'fast' });
    assert.deepEqual(crossOptionProblems(fast, 1, flag, 'the mask'), []);
    assert.deepEqual(crossOptionProblems(fast, 2, flag, 'the mask'), []);
    assert.deepEqual(crossOptionProblems(resolveOptions({}), 1, flag, 'the mask'), []);
    assert.match(crossOptionProblems(fast, 3, flag, 'the mask')[0], /^the mask places one or two styles .* but 3 were given$/);
    assert.match(crossOptionProblems(resolveOptions({}), 2, flag, 'the mask')[0], /^the mask with two styles needs --method fast/);
    assert.match(crossOptionProblems(resolveOptions({ method: 'fast', styleBlendWeights: [1, 2] }), 2, flag, 'the mask')[0], /^--styleBlendWeights is not used with the mask/);
  });
});
