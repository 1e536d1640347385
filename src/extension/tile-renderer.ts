import type { StyleOptions } from '../common/options';
import type { ImagesResult } from '../common/report';
import type { OutputFormat } from '../common/formats';
import type { NamedBytes } from './job';
import type { WorkerClient } from './worker-client';

export interface TilesRequest {
  /** Prefix of the worker's job ids, unique to this rendering. */
  readonly id: string;
  readonly content: NamedBytes;
  /** Each style's image, read when its tile's turn comes (so that the first tile does not wait for every file). */
  readonly styles: readonly (() => Promise<NamedBytes>)[];
  /** The fast method's options; maxSize is the tile's size. */
  readonly options: StyleOptions;
  readonly format: OutputFormat;
  /** Each tile as it is made, or why it could not be. */
  readonly onTile: (index: number, tile: { readonly result: ImagesResult } | { readonly error: string }) => void | Promise<void>;
  /** Asked before each tile: true stops the rendering (the grid was closed, the saving cancelled). */
  readonly stopped?: () => boolean;
}

/**
 * Tiles asked of the worker at a time: while one is painted, the next one's images travel and are decoded, so the
 * worker never waits for the extension between tiles; more would only share the cores among more tiles at once.
 */
const IN_FLIGHT = 2;

/**
 * One content in many styles by the fast method in the worker, about in order, each picture handed on as soon as it is
 * made. Each is an ordinary fast job: the worker keeps the nets loaded and finds each style's vector by its bytes
 * (the gallery's are stored), so a tile costs one transformer pass.
 */
export async function renderTiles(worker: WorkerClient, req: TilesRequest): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < req.styles.length && !req.stopped?.()) {
      const index = next++;
      await req.onTile(index, await renderTile(worker, req, index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, req.styles.length) }, lane));
}

async function renderTile(worker: WorkerClient, req: TilesRequest, index: number): Promise<{ result: ImagesResult } | { error: string }> {
  try {
    const end = await worker.run(
      {
        type: 'run', jobId: `${req.id}/${index}`, content: req.content, styles: [await req.styles[index]()], options: req.options,
        weightsPath: '', format: req.format, previewSize: req.options.maxSize,
      },
      () => {},
    );
    return end.type === 'result' ? { result: end.result } : { error: end.message };
  } catch (e) {
    return { error: (e as Error)?.message ?? String(e) };
  }
}
