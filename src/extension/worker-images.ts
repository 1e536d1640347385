import type { OutputFormat } from '../common/formats';
import type { StyleOptions } from '../common/options';
import type { ImagesResult } from '../common/report';
import type { ImageInput } from '../pipeline/stylize-images';
import type { NamedBytes } from './job';
import { WorkerDiedError, type WorkerClient } from './worker-client';

/** What every image of a batch is stylized with. */
export interface WorkerBatch {
  /** Names the batch's jobs in the worker: each is `<id>/<image's name>`. */
  readonly id: string;
  readonly styles: readonly NamedBytes[];
  readonly options: StyleOptions;
  /** The VGG19 weights for the optimisation; '' for the fast method. */
  readonly weightsPath: string;
  readonly format: OutputFormat;
  /** Told the id of each image's job as it starts: the one a Cancel must stop. */
  readonly onJob?: (jobId: string) => void;
}

/**
 * One image of a batch (a folder's, see runFolderBatch) as a job of its own in the worker, through the same run
 * message as any job: its result, or its failure as an error (a worker that died too: the next image starts a
 * fresh one). `fraction` hears how much of it is made, from the optimisation's steps.
 */
export function workerImages(worker: WorkerClient, batch: WorkerBatch) {
  return async (content: ImageInput, fraction: (f: number) => void): Promise<ImagesResult> => {
    const jobId = `${batch.id}/${content.name}`;
    batch.onJob?.(jobId);
    const end = await worker.run(
      {
        type: 'run', jobId, content, styles: [...batch.styles], options: batch.options, weightsPath: batch.weightsPath,
        format: batch.format, previewSize: 16,
      },
      (m) => m.type === 'progress' && fraction(m.progress.step / m.progress.totalSteps),
    ).catch((e: unknown) => {
      throw e instanceof WorkerDiedError ? new Error(`${e.message}; the next image starts a fresh worker`) : e;
    });
    if (end.type !== 'result') throw new Error(end.message);
    return end.result;
  };
}
