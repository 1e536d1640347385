import { UserError } from '../../common/errors';

/**
 * Several styles as one: the weighted mean of their vectors (weights in proportion; none given means equal).
 * The transformer's style parameters are affine in the vector, so this blends the styles' instance-norm scales
 * and offsets the same way.
 */
export function blendStyleVectors(vectors: readonly Float32Array[], weights: readonly number[] = []): Float32Array {
  if (vectors.length === 0) throw new Error('no style vector to blend');
  const ws = weights.length > 0 ? weights : vectors.map(() => 1);
  if (ws.length !== vectors.length) throw new UserError(`${ws.length} blend weights for ${vectors.length} styles`);
  if (ws.some((w) => !(Number.isFinite(w) && w >= 0))) throw new UserError(`blend weights must be numbers >= 0, not [${ws}]`);
  const total = ws.reduce((a, b) => a + b, 0);
  if (total === 0) throw new UserError('blend weights are all 0');
  const out = new Float32Array(vectors[0].length);
  vectors.forEach((v, i) => {
    if (v.length !== out.length) throw new Error(`style vectors of ${v.length} and ${out.length} numbers`);
    for (let k = 0; k < out.length; k++) out[k] += (ws[i] / total) * v[k];
  });
  return out;
}

/**
 * Style strength as Magenta's and the TF Lite example's "style blending": the vector moved from the content's own
 * (the predictor run on the content image: strength 0 repaints the content in its own style) linearly to the
 * style's (strength 1).
 */
export function withStrength(style: Float32Array, content: Float32Array, strength: number): Float32Array {
  if (!(strength >= 0 && strength <= 1)) throw new UserError(`style strength must be between 0 and 1, not ${strength}`);
  if (style.length !== content.length) throw new Error(`style vectors of ${style.length} and ${content.length} numbers`);
  return style.map((s, k) => strength * s + (1 - strength) * content[k]);
}
