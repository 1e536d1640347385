import * as path from 'path';
import * as vscode from 'vscode';
import type { Method } from '../common/options';
import { stylizeFolder, type FolderRunResult } from './folder-job';
import type { JobService, StartResult } from './jobs';
import { COMMANDS, IMAGE_PREVIEW_VIEW_TYPE } from './manifest';
import { IMAGE_EXTENSIONS, isImagePath } from './image-files';
import { SECTION } from './settings';
import type { RecentStyles } from './recent-styles';
import type { StyleGrids } from './style-grid';
import { pickImages } from './style-picker';
import type { WeightsProvider } from './weights';

/**
 * The images a command acts on: the explorer's selection (VS Code passes the clicked file and every selected
 * one), the file of the editor title it was run from, the image open in the active image preview, or, from the
 * palette with none of these, images the user picks in a file dialog.
 */
async function targetImages(uri: unknown, uris: unknown, what: string): Promise<vscode.Uri[] | undefined> {
  const selected = Array.isArray(uris) && uris.every((u) => u instanceof vscode.Uri) ? uris : uri instanceof vscode.Uri ? [uri] : [];
  const images = selected.filter((u) => isImagePath(u.path));
  if (images.length > 0) return images;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === IMAGE_PREVIEW_VIEW_TYPE) return [input.uri];
  return vscode.window.showOpenDialog({
    title: what,
    canSelectMany: true,
    filters: { Images: [...IMAGE_EXTENSIONS] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

const names = (uris: readonly vscode.Uri[]) =>
  uris.length === 1 ? path.posix.basename(uris[0].path) : `${uris.length} images`;

/** Every image given explicitly (other extensions, keybindings and tests), else none. */
function givenImages(v: unknown): vscode.Uri[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((u) => u instanceof vscode.Uri) ? v : undefined;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  jobs: JobService,
  recent: RecentStyles,
  weights: WeightsProvider,
  log: vscode.LogOutputChannel,
  grids: StyleGrids,
): void {
  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  /**
   * Stylize with…: the selected images are the content; the style is picked (or given as a 3rd argument). The
   * method is the setting's, or fast for "Stylize Fast with…".
   */
  /**
   * The style for `what` (given as the command's argument, or picked: recent, gallery, workspace), remembered as
   * recent. The worker starts and loads the fast nets while the style is picked, so that the picture does not wait.
   */
  const styleFor = async (what: string, where: vscode.Uri, method: Method | undefined, styleArg: unknown): Promise<vscode.Uri[] | undefined> => {
    if ((method ?? vscode.workspace.getConfiguration(SECTION, where).get<Method>('method')) === 'fast') jobs.prepareFast();
    const styles = givenImages(styleArg) ?? (await pickImages({
      title: `Stylize ${what}${method === 'fast' ? ' fast' : ''} with…`,
      placeholder: 'Choose the style image (type to filter)',
      many: false,
      recent: recent.list(),
      gallery: jobs.gallery,
    }));
    // Remembered beside the job, not before it: the picture need not wait for the state to be written. The gallery
    // has its own place in the picker.
    if (styles) void recent.remember(styles.filter((u) => !jobs.gallery.styleAt(u)).map((u) => u.toString()));
    return styles;
  };

  const stylizeWith = (method?: Method) => async (uri: unknown, uris: unknown, styleArg: unknown): Promise<StartResult | undefined> => {
    const contents = await targetImages(uri, uris, 'Choose the images to stylize');
    if (!contents?.length) return undefined;
    const styles = await styleFor(names(contents), contents[0], method, styleArg);
    return styles && jobs.start(contents, styles, method);
  };
  register(COMMANDS.stylizeWith, stylizeWith());
  register(COMMANDS.stylizeFastWith, stylizeWith('fast'));

  /** Use as Style for…: the reverse; the selected images are the style, the images to stylize are picked. */
  register(COMMANDS.useAsStyleFor, async (uri, uris, contentArg): Promise<StartResult | undefined> => {
    const styles = await targetImages(uri, uris, 'Choose the style image');
    if (!styles?.length) return undefined;
    const contents = givenImages(contentArg) ?? (await pickImages({
      title: `Use ${names(styles)} as the style for…`,
      placeholder: 'Choose the images to stylize (type to filter, Space to select)',
      many: true,
      exclude: styles,
    }));
    if (!contents) return undefined;
    await recent.remember(styles.map((u) => u.toString()));
    return jobs.start(contents, styles);
  });

  /** Try All Styles: a grid of each image in every style of the gallery and the workspace's own style images. */
  register(COMMANDS.tryAllStyles, async (uri, uris) => {
    const contents = await targetImages(uri, uris, 'Choose the image to try every style on');
    const results = await Promise.all((contents ?? []).map((c) => grids.show(c)));
    return results[0];
  });

  /**
   * Stylize Folder with…: every image of the folder clicked (or chosen in a dialog) in a picked style, by the
   * method of the settings or fast. A 4th argument `{ recursive: true }` goes into its sub-folders too.
   */
  const stylizeFolderWith = (method?: Method) => async (uri: unknown, _uris: unknown, styleArg: unknown, how: unknown): Promise<FolderRunResult | undefined> => {
    const folder = uri instanceof vscode.Uri ? uri : (await vscode.window.showOpenDialog({
      title: 'Choose the folder to stylize', canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    }))?.[0];
    if (!folder) return undefined;
    const styles = await styleFor(`the images of ${path.posix.basename(folder.path)}`, folder, method, styleArg);
    if (!styles) return undefined;
    const recursive = typeof how === 'object' && how !== null && (how as { recursive?: unknown }).recursive === true;
    return stylizeFolder(folder, styles, method, recursive, { ...jobs.folderDeps, log, extensionUri: context.extensionUri });
  };
  register(COMMANDS.stylizeFolderWith, stylizeFolderWith());
  register(COMMANDS.stylizeFolderFastWith, stylizeFolderWith('fast'));

  register(COMMANDS.cancel, async (jobId) => {
    if (typeof jobId === 'string') return jobs.cancel(jobId);
    const active = jobs.active();
    if (active.length <= 1) return active[0] && jobs.cancel(active[0].id);
    const picked = await vscode.window.showQuickPick(
      active.map((job) => ({ label: job.title, description: job.status === 'queued' ? 'waiting' : job.status, id: job.id })),
      { title: 'Cancel a Neural Style job', canPickMany: true },
    );
    for (const p of picked ?? []) jobs.cancel(p.id);
  });

  register(COMMANDS.showJob, (jobId) => jobs.showPanel(typeof jobId === 'string' ? jobId : undefined));
  register(COMMANDS.locateWeights, () => weights.locate());
  register(COMMANDS.showLog, () => log.show());
}
