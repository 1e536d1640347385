import type { Raster } from '../../image/raster';
import { withContentColors } from '../colors';
import type { FastNets } from './fast-nets';
import { blendStyleVectors, withStrength } from './style-vectors';

export interface FastVectors {
  /** The styles' vectors blended: what strength 1 renders. */
  readonly styleVector: Float32Array;
  /** The content's own vector: what strength 0 renders. */
  readonly contentVector: Float32Array;
}

export interface FastRenderRequest extends FastVectors {
  readonly content: Raster;
  /** 0 (the content's own style) to 1 (the styles'); default 1. */
  readonly strength?: number;
  /** Keep the content's colours: the result's luminance under the content's chroma. */
  readonly preserveColors?: boolean;
  /** How errors name the content (its file name, say). */
  readonly contentName?: string;
}

export interface FastStylizeRequest {
  readonly content: Raster;
  readonly styles: readonly Raster[];
  /** Relative weights of the styles, in order; empty or absent means equal. */
  readonly blendWeights?: readonly number[];
  readonly strength?: number;
  readonly preserveColors?: boolean;
  readonly contentName?: string;
}

export interface FastStylizeResult extends FastVectors {
  /** The stylized content, at the content's size. */
  readonly image: Raster;
}

/** The vectors a render needs: run the predictor once per image, then render as often as the strength changes. */
export async function fastVectors(
  nets: FastNets,
  content: Raster,
  styles: readonly Raster[],
  blendWeights: readonly number[] = [],
): Promise<FastVectors> {
  const vectors: Float32Array[] = [];
  for (const style of styles) vectors.push(await nets.styleVector(style));
  return { styleVector: blendStyleVectors(vectors, blendWeights), contentVector: await nets.styleVector(content) };
}

/** One pass of the transformer: no predictor run, so it is what a change of strength or colours costs. */
export async function fastRender(nets: FastNets, req: FastRenderRequest): Promise<Raster> {
  const vector = withStrength(req.styleVector, req.contentVector, req.strength ?? 1);
  const image = await nets.transfer(req.content, vector, req.contentName);
  return req.preserveColors ? withContentColors(image, req.content) : image;
}

/** The whole of fast mode on rasters: the styles' vectors, blended, at the strength asked, on the content. */
export async function fastStylize(nets: FastNets, req: FastStylizeRequest): Promise<FastStylizeResult> {
  const vectors = await fastVectors(nets, req.content, req.styles, req.blendWeights);
  return { ...vectors, image: await fastRender(nets, { ...req, ...vectors }) };
}
