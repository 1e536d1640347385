import { readFileSync } from 'fs';
import * as path from 'path';
import type { ColorMode } from '../common/options';
import { FAST_NET_FILES } from '../engine/fast/fast-nets';
import { galleryDir, sha256Hex } from '../gallery/read-painting';

/**
 * Fast mode's style vectors, found by the sha256 of the style image's file: a vector depends on those bytes alone
 * (fast mode always sees a style image as its centre square at 256 px) and on the predictor, "histogram" colours
 * aside (see knownStyleVector). The gallery's are stored beside the paintings, so that its paintings are never
 * decoded for fast mode; any other style's is kept once computed, so that one content in many styles, or one style
 * at another strength, runs the predictor once.
 */

/** assets/gallery/STYLE_VECTORS_FILE, written by `npm run gen:gallery`. */
export const STYLE_VECTORS_FILE = 'style-vectors.json';

export interface StoredStyleVectors {
  /** The sha256 of the predictor the vectors come from: they hold for it only. */
  readonly predictor: string;
  /** By the sha256 of the painting's file. */
  readonly vectors: Record<string, readonly number[]>;
}

/** Vectors computed in this process: a few dozen styles is a whole grid; each is 400 bytes. */
const MAX_COMPUTED = 64;

let stored: ReadonlyMap<string, Float32Array> | undefined;
const computed = new Map<string, Float32Array>();

function storedVectors(): ReadonlyMap<string, Float32Array> {
  if (!stored) {
    try {
      const file = JSON.parse(readFileSync(path.join(galleryDir(), STYLE_VECTORS_FILE), 'utf8')) as StoredStyleVectors;
      stored = file.predictor === FAST_NET_FILES.predictor.sha256
        ? new Map(Object.entries(file.vectors).map(([sha, v]) => [sha, Float32Array.from(v)]))
        : new Map();
    } catch {
      // Without the file every vector is computed, as for any other image: slower, not different.
      stored = new Map();
    }
  }
  return stored;
}

/** What is known of a style image's vector before it is decoded. */
export interface KnownStyleVector {
  /** What the vector is kept by once computed; none where it is not kept. */
  readonly key?: string;
  readonly vector?: Float32Array;
}

/**
 * A style image's vector if it is known (stored, or computed before in this process), and the key to keep it by. In
 * "histogram" colours the predictor sees the style recoloured to the content's colours, so the vector is not the
 * file's alone: it is neither looked up nor kept.
 */
export function knownStyleVector(bytes: Uint8Array, colors: ColorMode): KnownStyleVector {
  if (colors === 'histogram') return {};
  const key = sha256Hex(bytes);
  const vector = storedVectors().get(key) ?? computed.get(key);
  if (vector && computed.delete(key)) computed.set(key, vector); // most recently used last
  return { key, vector };
}

/** Keeps `vector`, computed for the style image `known` was asked about, when it has a key; returns it. */
export function keepStyleVector(known: KnownStyleVector, vector: Float32Array): Float32Array {
  if (known.key === undefined) return vector;
  computed.set(known.key, vector);
  if (computed.size > MAX_COMPUTED) computed.delete(computed.keys().next().value!);
  return vector;
}
