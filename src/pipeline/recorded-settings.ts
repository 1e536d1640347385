import * as path from 'path';
import type { BackendName } from '../engine/backend';
import type { StyleOptions } from '../engine/options';
import type { RunReport } from '../engine/report';

/** The PNG text keyword (or XMP element) that holds a run's settings. */
export const SETTINGS_KEY = 'neural-style';

/**
 * What an output image records about the run that made it: every option (so that the run can be repeated), the
 * inputs' file names, the backend and how the run ended.
 */
export function recordedSettings(
  o: StyleOptions,
  content: string,
  styles: readonly string[],
  backend: BackendName,
  result: RunReport,
): Record<string, string> {
  return {
    Software: 'Neural Style for VS Code',
    [SETTINGS_KEY]: JSON.stringify({
      options: o,
      content: path.basename(content),
      styles: styles.map((s) => path.basename(s)),
      backend,
      outcome: result.outcome,
      steps: result.steps,
      losses: result.losses,
    }),
  };
}
