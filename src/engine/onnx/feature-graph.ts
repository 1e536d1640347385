import { onnx } from 'onnx-proto';
import type { VggWeights } from '../weights/keras-h5';
import { layersUpTo } from '../vgg19';
import { VGG19 } from '../../common/vgg19-layers';
import { GraphBuilder } from './graph-builder';
import { gramMatrix, IMAGE_INPUT, networkInput, vggForward } from './vgg-forward';

/** What a forward model returns: activations (HWC) of some layers and Gram matrices of others. */
export interface FeatureRequest {
  readonly raw: boolean;
  readonly features: readonly string[];
  readonly grams: readonly string[];
}

export const featureOutput = (layer: string) => `features/${layer}`;
export const gramOutput = (layer: string) => `gram/${layer}`;

/**
 * A forward-only model with symbolic height and width: it depends on the request alone, whatever the size of the
 * image (targets are computed at the style and content images' own sizes).
 */
export function buildFeatureModel(request: FeatureRequest, weights: VggWeights): Uint8Array {
  const g = new GraphBuilder('neural_style_features');
  const image = g.input(IMAGE_INPUT, ['height', 'width', 3]);
  const layers = layersUpTo([...request.features, ...request.grams]);
  const { activations } = vggForward(g, networkInput(g, image, request.raw), layers, weights);
  const channels = (layer: string) => VGG19.find((l) => l.name === layer)!.outChannels;
  for (const layer of request.features) {
    const hwc = g.op('Transpose', [activations.get(layer)!], { perm: [0, 2, 3, 1] }, `${layer}_hwc`);
    g.output(featureOutput(layer), hwc, [1, `${layer}_height`, `${layer}_width`, channels(layer)]);
  }
  for (const layer of request.grams) {
    const c = channels(layer);
    const flat = g.op('Reshape', [activations.get(layer)!, g.ints([c, -1])], {}, `${layer}_flat`);
    const n = g.op('Cast', [g.op('Slice', [g.op('Shape', [flat]), g.ints([1]), g.ints([2])])], { to: onnx.TensorProto.DataType.FLOAT }, `${layer}_count`);
    g.output(gramOutput(layer), gramMatrix(g, flat, n, `${layer}_gram`), [c, c]);
  }
  return g.encode();
}
