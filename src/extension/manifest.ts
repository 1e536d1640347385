/**
 * The parts of package.json that describe what the extension adds to VS Code. They are generated from the
 * option table, the own settings and the image types (`npm run gen:manifest` writes them; a unit test fails when
 * package.json and this module disagree), so a range, default or file type cannot drift between them.
 */
import { PRESET_VALUES, PRESETS, STYLE_OPTION_DEFS, type OptionDef, type StyleOptionKey } from '../common/options';
import { LAYER_NAMES } from '../common/vgg19-layers';
import { IMAGE_EXTNAME_REGEX } from './image-files';
import { OWN_SETTING_DEFS, RESTRICTED_SETTINGS, SECTION } from './settings';

export const COMMANDS = {
  stylizeWith: `${SECTION}.stylizeWith`,
  stylizeFastWith: `${SECTION}.stylizeFastWith`,
  useAsStyleFor: `${SECTION}.useAsStyleFor`,
  tryAllStyles: `${SECTION}.tryAllStyles`,
  stylizeFolderWith: `${SECTION}.stylizeFolderWith`,
  stylizeFolderFastWith: `${SECTION}.stylizeFolderFastWith`,
  cancel: `${SECTION}.cancel`,
  showJob: `${SECTION}.showJob`,
  locateWeights: `${SECTION}.locateWeights`,
  showLog: `${SECTION}.showLog`,
} as const;

/** The webview panel type, which the serializer restores after a window reload. */
export const PANEL_VIEW_TYPE = `${SECTION}.job`;

/** The style grid's panel type (Try All Styles); a grid is not restored after a window reload. */
export const GRID_VIEW_TYPE = `${SECTION}.styles`;

/** A folder's summary panel (Stylize Folder with…); not restored after a window reload. */
export const FOLDER_VIEW_TYPE = `${SECTION}.folder`;

/** A context key set while a job is queued or running: gates the commands that act on one. */
export const BUSY_CONTEXT = `${SECTION}.busy`;

/** The built-in image preview, whose editor title gets the commands too. */
export const IMAGE_PREVIEW_VIEW_TYPE = 'imagePreview.previewEditor';

const CATEGORY = 'Neural Style';
const ON_IMAGE_IN_EXPLORER = `resourceExtname =~ ${IMAGE_EXTNAME_REGEX} && !explorerResourceIsFolder`;
const ON_FOLDER_IN_EXPLORER = 'explorerResourceIsFolder';
const ON_IMAGE_PREVIEW = `activeCustomEditorId == '${IMAGE_PREVIEW_VIEW_TYPE}'`;

function presetNote(key: StyleOptionKey): string {
  const set = PRESETS.filter((p) => key in PRESET_VALUES[p]).map((p) => `${p}: ${JSON.stringify(PRESET_VALUES[p][key])}`);
  return set.length > 0 ? ` Presets other than balanced change it unless you set it (${set.join(', ')}).` : '';
}

function optionSchema(key: StyleOptionKey, def: OptionDef): Record<string, unknown> {
  const only = def.for ? ` Used by the ${def.for} method only.` : '';
  const description = def.description + only + presetNote(key);
  switch (def.kind) {
    case 'number':
      return { type: def.integer ? 'integer' : 'number', minimum: def.min, maximum: def.max, default: def.default, description };
    case 'enum':
      return { type: 'string', enum: [...def.values], default: def.default, description };
    case 'boolean':
      return { type: 'boolean', default: def.default, description };
    case 'layers':
      return { type: 'array', items: { type: 'string', enum: [...LAYER_NAMES] }, uniqueItems: true, default: [...def.default], description };
    case 'numbers':
      return { type: 'array', items: { type: 'number', minimum: def.min, maximum: def.max }, default: [...def.default], description };
  }
}

function configuration(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  let order = 0;
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS) as [StyleOptionKey, OptionDef][]) {
    const deprecation = def.deprecated !== undefined && { deprecationMessage: def.deprecated };
    properties[`${SECTION}.${key}`] = { ...optionSchema(key, def), ...deprecation, scope: 'resource', order: order++ };
  }
  for (const [key, def] of Object.entries(OWN_SETTING_DEFS)) {
    const type = def.kind === 'enum' ? { type: 'string', enum: [...def.values] } : { type: 'string' };
    properties[`${SECTION}.${key}`] = { ...type, default: def.default, description: def.description, scope: def.scope, order: order++ };
  }
  return { title: CATEGORY, properties };
}

export function contributes(): Record<string, unknown> {
  return {
    commands: [
      { command: COMMANDS.stylizeWith, title: 'Stylize with…', category: CATEGORY, icon: '$(symbol-color)' },
      { command: COMMANDS.stylizeFastWith, title: 'Stylize Fast with…', category: CATEGORY },
      { command: COMMANDS.useAsStyleFor, title: 'Use as Style for…', category: CATEGORY },
      { command: COMMANDS.tryAllStyles, title: 'Try All Styles', category: CATEGORY },
      { command: COMMANDS.stylizeFolderWith, title: 'Stylize Folder with…', category: CATEGORY },
      { command: COMMANDS.stylizeFolderFastWith, title: 'Stylize Folder Fast with…', category: CATEGORY },
      { command: COMMANDS.cancel, title: 'Cancel Job', category: CATEGORY, enablement: BUSY_CONTEXT },
      { command: COMMANDS.showJob, title: 'Show Job', category: CATEGORY },
      { command: COMMANDS.locateWeights, title: 'Locate Weights File…', category: CATEGORY },
      { command: COMMANDS.showLog, title: 'Show Log', category: CATEGORY },
    ],
    menus: {
      'explorer/context': [
        { command: COMMANDS.stylizeWith, when: ON_IMAGE_IN_EXPLORER, group: '7_neuralStyle@1' },
        { command: COMMANDS.stylizeFastWith, when: ON_IMAGE_IN_EXPLORER, group: '7_neuralStyle@2' },
        { command: COMMANDS.useAsStyleFor, when: ON_IMAGE_IN_EXPLORER, group: '7_neuralStyle@3' },
        { command: COMMANDS.tryAllStyles, when: ON_IMAGE_IN_EXPLORER, group: '7_neuralStyle@4' },
        { command: COMMANDS.stylizeFolderWith, when: ON_FOLDER_IN_EXPLORER, group: '7_neuralStyle@5' },
        { command: COMMANDS.stylizeFolderFastWith, when: ON_FOLDER_IN_EXPLORER, group: '7_neuralStyle@6' },
      ],
      'editor/title': [
        { command: COMMANDS.stylizeWith, when: ON_IMAGE_PREVIEW, group: 'navigation' },
        { command: COMMANDS.stylizeFastWith, when: ON_IMAGE_PREVIEW, group: '7_neuralStyle@1' },
        { command: COMMANDS.useAsStyleFor, when: ON_IMAGE_PREVIEW, group: '7_neuralStyle@2' },
        { command: COMMANDS.tryAllStyles, when: ON_IMAGE_PREVIEW, group: '7_neuralStyle@3' },
      ],
      commandPalette: [{ command: COMMANDS.cancel, when: BUSY_CONTEXT }],
    },
    configuration: configuration(),
  };
}

export function capabilities(): Record<string, unknown> {
  return {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In Restricted Mode the workspace\'s own settings for where and under which name results are written, and ' +
        'for what a run may cost in time and memory, are ignored; your user settings apply.',
      restrictedConfigurations: RESTRICTED_SETTINGS.map((k) => `${SECTION}.${k}`),
    },
    // Images are read and results written through vscode.workspace.fs; only the weights file must be local.
    virtualWorkspaces: true,
  };
}

export const ACTIVATION_EVENTS = [`onWebviewPanel:${PANEL_VIEW_TYPE}`];
