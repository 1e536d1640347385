import type { StyleOptions } from '../engine/options';
import type { ImagesResult } from '../engine/report';
import type { OutputFormat } from '../output/formats';
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
 * One content in many styles by the fast method in the worker, one style after the other, so that each picture
 * shows as soon as it is made. Each is an ordinary fast job: the worker keeps the nets loaded and finds each
 * style's vector by its bytes (the gallery's are stored), so a tile costs one transformer pass.
 */
export async function renderTiles(worker: WorkerClient, req: TilesRequest): Promise<void> {
  for (const [index, style] of req.styles.entries()) {
    if (req.stopped?.()) return;
    let tile: { result: ImagesResult } | { error: string };
    try {
      const end = await worker.run(
        {
          type: 'run', jobId: `${req.id}/${index}`, content: req.content, styles: [await style()], options: req.options,
          weightsPath: '', format: req.format, previewSize: req.options.maxSize,
        },
        () => {},
      );
      tile = end.type === 'result' ? { result: end.result } : { error: end.message };
    } catch (e) {
      tile = { error: (e as Error)?.message ?? String(e) };
    }
    await req.onTile(index, tile);
  }
}
