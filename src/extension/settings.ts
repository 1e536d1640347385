import {
  SETTINGS_SECTION, STYLE_OPTION_DEFS, crossOptionProblems, optionProblem, resolveOptions, settingName, unusedOptions, type Method,
  type OptionSpec, type StyleOptionKey, type StyleOptions,
} from '../common/options';
import { OUTPUT_FORMATS, type OutputFormat } from '../common/formats';
import { DEFAULT_NAME_PATTERN, NAME_FIT_HELP, NAME_PATTERN_HELP, namePatternProblem } from '../output/name';

/** The prefix of every setting. */
export const SECTION = SETTINGS_SECTION;

/**
 * The extension's own settings (the run options come from STYLE_OPTION_DEFS). `machine` settings can only be
 * set in user settings, so a workspace cannot point them elsewhere.
 */
type OwnSettingDef = {
  readonly description: string;
  readonly scope: 'machine' | 'resource';
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
    kind: 'string', default: DEFAULT_NAME_PATTERN, scope: 'resource', problem: namePatternProblem,
    description: `File name of the stylized image, from ${NAME_PATTERN_HELP}. A name already taken gets -1, -2, ... ${NAME_FIT_HELP}`,
  },
  'output.folder': {
    kind: 'string', default: '', scope: 'resource',
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

/**
 * What a workspace that is not trusted cannot set (Restricted Mode): where results are written and under which
 * name, and what a run may cost in memory and time. Its values for these are ignored; the user's settings apply.
 */
export const RESTRICTED_SETTINGS = [
  'output.namePattern', 'output.folder', 'preset', 'steps', 'maxSize', 'tileSize', 'tileSteps', 'styleScale', 'multiScale', 'backend',
] as const satisfies readonly (OwnSettingKey | StyleOptionKey)[];

const RESTRICTED: ReadonlySet<string> = new Set(RESTRICTED_SETTINGS);

/** The subset of vscode.WorkspaceConfiguration the reader uses. */
export interface ConfigurationLike {
  get<T>(key: string): T | undefined;
  inspect<T>(key: string): { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined;
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

/**
 * Reads settings as VS Code layers them, except that in Restricted Mode (`trusted` false) the workspace's values
 * of the restricted settings are left out; `ignored` collects those the workspace had set.
 */
class SettingsReader {
  readonly ignored: string[] = [];

  constructor(
    private readonly config: ConfigurationLike,
    private readonly trusted: boolean,
  ) {}

  /** The value from the settings files, or undefined where none sets it (so the preset or the default applies). */
  explicit(key: string): unknown {
    const i = this.config.inspect(key);
    if (!i) return undefined;
    const fromWorkspace = i.workspaceFolderValue ?? i.workspaceValue;
    if (fromWorkspace !== undefined && !this.trusted && RESTRICTED.has(key)) {
      this.ignored.push(`${SECTION}.${key}`);
      return i.globalValue;
    }
    return fromWorkspace ?? i.globalValue;
  }
}

function ownProblem(def: OwnSettingDef, value: unknown): string | undefined {
  if (def.kind === 'enum') return optionProblem(def, value);
  if (typeof value !== 'string') return `must be a string, got ${JSON.stringify(value)}`;
  return 'problem' in def ? def.problem?.(value) : undefined;
}

/** The run options: the defaults, then the preset, then what the settings files hold (see resolveOptions). */
function readStyleOptions(reader: SettingsReader): Reading<StyleOptions> & { readonly set: StyleOptionKey[] } {
  const problems: string[] = [];
  const explicit: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS) as [StyleOptionKey, OptionSpec][]) {
    const value = reader.explicit(key);
    if (value === undefined) continue;
    const p = optionProblem(def, value);
    if (p) problems.push(`${SECTION}.${key} ${p}`);
    else explicit[key] = value;
  }
  const set = Object.keys(explicit) as StyleOptionKey[];
  return problems.length > 0 ? { problems, set } : { value: resolveOptions(explicit as Partial<StyleOptions>), set };
}

function readOwnSettings(reader: SettingsReader): Reading<RunSettings> {
  const problems: string[] = [];
  const own: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(OWN_SETTING_DEFS) as [OwnSettingKey, OwnSettingDef][]) {
    const value = reader.explicit(key) ?? def.default;
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

/** Where results go and the weights, read anew for "Run again"; `ignored` as for readJobSettings. */
export function readRunSettings(config: ConfigurationLike, trusted: boolean): Reading<RunSettings> & { readonly ignored: string[] } {
  const reader = new SettingsReader(config, trusted);
  return { ...readOwnSettings(reader), ignored: reader.ignored };
}

/** Options that are each fine may still not go together (e.g. 3 layer weights for 5 style layers). */
export function combinationProblems(options: StyleOptions, styleCount: number): string[] {
  return crossOptionProblems(options, styleCount, settingName);
}

/**
 * The settings of a job, read once when it is started so that later changes never disturb it; `method`, when
 * given, is the command's choice over the setting's. Every bad value is reported; then the job must not start.
 * `ignored` names the workspace's settings left out in Restricted Mode, `unused` the settings the method does not use.
 */
export function readJobSettings(
  config: ConfigurationLike,
  styleCount: number,
  trusted: boolean,
  method?: Method,
): Reading<JobSettings> & { readonly ignored: string[]; readonly unused: string[] } {
  const reader = new SettingsReader(config, trusted);
  const options = readStyleOptions(reader);
  const run = readOwnSettings(reader);
  const { ignored } = reader;
  const chosen = options.value && { ...options.value, method: method ?? options.value.method };
  const unused = chosen ? unusedOptions(chosen.method, options.set).map((k) => `${SECTION}.${k}`) : [];
  if (!chosen || run.problems) return { problems: [...(options.problems ?? []), ...(run.problems ?? [])], ignored, unused };
  const combination = combinationProblems(chosen, styleCount);
  if (combination.length > 0) return { problems: combination, ignored, unused };
  return { value: { ...run.value!, options: chosen }, ignored, unused };
}
