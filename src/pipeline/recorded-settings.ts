import * as path from 'path';
import type { BackendName } from '../common/backends';
import type { StyleOptions } from '../common/options';
import type { RunReport } from '../common/report';

/** The PNG text keyword (or XMP element) that holds a run's settings. */
export const SETTINGS_KEY = 'neural-style';

/** The files a run reads, by path or name: the content, the styles and the mask, if any. */
export interface RunInputs {
  readonly content: string;
  readonly styles: readonly string[];
  readonly mask?: string;
}

/**
 * What an output image records about the run that made it: every option and the inputs' file names, each of which
 * is a flag of the CLI's `stylize` (so that the run can be repeated: `--mask` for the mask), the backend and how the
 * run ended.
 */
export function recordedSettings(
  o: StyleOptions,
  { content, styles, mask }: RunInputs,
  backend: BackendName,
  result: RunReport,
): Record<string, string> {
  return {
    Software: 'Neural Style for VS Code',
    [SETTINGS_KEY]: JSON.stringify({
      options: o,
      content: path.basename(content),
      styles: styles.map((s) => path.basename(s)),
      ...(mask !== undefined && { mask: path.basename(mask) }),
      backend,
      outcome: result.outcome,
      steps: result.steps,
      losses: result.losses,
    }),
  };
}
