import {
  STYLE_OPTION_DEFS, crossOptionProblems, optionProblem, resolveOptions, type OptionSpec, type StyleOptionKey,
  type StyleOptions,
} from '../engine/options';
import type { OutputFormat } from '../image/encode';
import { OUTPUT_FORMATS } from '../protocol/messages';
import { DEFAULT_NAME_PATTERN, NAME_PATTERN_HELP, namePatternProblem } from './output-name';

/** The prefix of every setting. */
export const SECTION = 'neuralStyle';

/**
 * The extension's own settings (the run options come from STYLE_OPTION_DEFS). `machine` settings can only be
 * set in user settings, so a workspace cannot point them elsewhere; `restricted` ones are ignored in a workspace
 * that is not trusted, where they could make the extension write outside it.
 */
type OwnSettingDef = {
  readonly description: string;
  readonly scope: 'machine' | 'resource';
  readonly restricted?: boolean;
} & (
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly default: string }
  | { readonly kind: 'string'; readonly default: string; readonly problem?: (v: string) => string | undefined }
);

export const OWN_SETTING_DEFS = {
  'output.format': {
    kind: 'enum', values: OUTPUT_FORMATS, default: 'png', scope: 'resource',
    description: 'Format of the stylized image. The run\'s settings are recorded inside it (PNG text, or XMP).',
  },
  'output.namePattern': {
    kind: 'string', default: DEFAULT_NAME_PATTERN, scope: 'resource', restricted: true, problem: namePatternProblem,
    description: `File name of the stylized image, from ${NAME_PATTERN_HELP}. A name already taken gets -1, -2, ...`,
  },
  'output.folder': {
    kind: 'string', default: '', scope: 'resource', restricted: true,
    description:
      'Folder of the stylized image: empty for beside the content image, a relative path for a folder inside the ' +
      'content image\'s folder, or an absolute path.',
  },
  weightsPath: {
    kind: 'string', default: '', scope: 'machine',
    description:
      'A local VGG19 weights file (Keras .h5) to use instead of downloading the official one into the cache. ' +
      'Machine-wide: a workspace cannot change it.',
  },
} as const satisfies Record<string, OwnSettingDef>;

export type OwnSettingKey = keyof typeof OWN_SETTING_DEFS;

/** The subset of vscode.WorkspaceConfiguration the reader uses. */
export interface ConfigurationLike {
  get<T>(key: string): T | undefined;
  inspect<T>(key: string): { globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined;
}

export interface OutputSettings {
  readonly format: OutputFormat;
  readonly namePattern: string;
  readonly folder: string;
}

/** What a job needs besides its run options: where its result goes and which weights file to load. */
export interface RunSettings {
  readonly output: OutputSettings;
  readonly weightsPath: string;
}

export interface JobSettings extends RunSettings {
  readonly options: StyleOptions;
}

/** The settings, or every problem with them (each naming its key and what it must be). */
export type Reading<T> = { readonly value: T; readonly problems?: undefined } | { readonly value?: undefined; readonly problems: string[] };

function setByUser(config: ConfigurationLike, key: string): boolean {
  const i = config.inspect(key);
  return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
}

function ownProblem(def: OwnSettingDef, value: unknown): string | undefined {
  if (def.kind === 'enum') return optionProblem(def, value);
  if (typeof value !== 'string') return `must be a string, got ${JSON.stringify(value)}`;
  return 'problem' in def ? def.problem?.(value) : undefined;
}

/**
 * The run options: the defaults, then the preset, then what the user set (see resolveOptions); a value only
 * counts as set by the user when some settings file holds it, so the preset can fill in the rest.
 */
export function readStyleOptions(config: ConfigurationLike): Reading<StyleOptions> {
  const problems: string[] = [];
  const explicit: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS) as [StyleOptionKey, OptionSpec][]) {
    if (!setByUser(config, key)) continue;
    const value = config.get(key);
    const p = optionProblem(def, value);
    if (p) problems.push(`${SECTION}.${key} ${p}`);
    else explicit[key] = value;
  }
  return problems.length > 0 ? { problems } : { value: resolveOptions(explicit as Partial<StyleOptions>) };
}

export function readRunSettings(config: ConfigurationLike): Reading<RunSettings> {
  const problems: string[] = [];
  const own: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(OWN_SETTING_DEFS) as [OwnSettingKey, OwnSettingDef][]) {
    const value = config.get(key) ?? def.default;
    const p = ownProblem(def, value);
    if (p) problems.push(`${SECTION}.${key} ${p}`);
    own[key] = value;
  }
  if (problems.length > 0) return { problems };
  return {
    value: {
      output: {
        format: own['output.format'] as OutputFormat,
        namePattern: own['output.namePattern'] as string,
        folder: own['output.folder'] as string,
      },
      weightsPath: own.weightsPath as string,
    },
  };
}

/** Options that are each fine may still not go together (e.g. 3 layer weights for 5 style layers). */
export function combinationProblems(options: StyleOptions, styleCount: number): string[] {
  return crossOptionProblems(options, styleCount, (key) => `${SECTION}.${key}`);
}

/**
 * The settings of a job, read once when it is started so that later changes never disturb it. Every bad value
 * is reported; then the job must not start.
 */
export function readJobSettings(config: ConfigurationLike, styleCount: number): Reading<JobSettings> {
  const options = readStyleOptions(config);
  const run = readRunSettings(config);
  const problems = [...(options.problems ?? []), ...(run.problems ?? [])];
  if (options.problems || run.problems) return { problems };
  const combination = combinationProblems(options.value, styleCount);
  if (combination.length > 0) return { problems: combination };
  return { value: { ...run.value, options: options.value } };
}
