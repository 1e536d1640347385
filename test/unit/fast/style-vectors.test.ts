import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import { blendStyleVectors, withStrength } from '../../../src/engine/fast/style-vectors';

const a = Float32Array.of(1, -2, 4);
const b = Float32Array.of(3, 6, -4);

describe('fast mode: blending style vectors', () => {
  it('takes the weighted mean, weights in proportion, equal when none are given', () => {
    assert.deepEqual(Array.from(blendStyleVectors([a, b])), [2, 2, 0]);
    assert.deepEqual(Array.from(blendStyleVectors([a, b], [3, 1])), [1.5, 0, 2]);
    assert.deepEqual(Array.from(blendStyleVectors([a, b], [30, 10])), [1.5, 0, 2]);
    assert.deepEqual(blendStyleVectors([a, b], [1, 0]), a);
    assert.deepEqual(blendStyleVectors([a]), a);
  });

  it('refuses weights that do not fit the styles', () => {
    assert.throws(() => blendStyleVectors([a, b], [1]), UserError);
    assert.throws(() => blendStyleVectors([a, b], [0, 0]), /all 0/);
    assert.throws(() => blendStyleVectors([a, b], [1, -1]), /numbers >= 0/);
    assert.throws(() => blendStyleVectors([a, b], [1, NaN]), /numbers >= 0/);
  });

  it('moves from the content vector (strength 0) to the style vector (strength 1) in a straight line', () => {
    assert.deepEqual(withStrength(a, b, 1), a);
    assert.deepEqual(withStrength(a, b, 0), b);
    assert.deepEqual(Array.from(withStrength(a, b, 0.25)), [2.5, 4, -2]);
    assert.throws(() => withStrength(a, b, 1.5), UserError);
    assert.throws(() => withStrength(a, b, -0.1), UserError);
  });
});
