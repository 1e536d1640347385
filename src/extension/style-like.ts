import { isStylizedName } from '../output/name';

/**
 * Which of the workspace's own images the style grid (Try All Styles) shows beside the gallery: images the user has
 * used as styles before (the picker's recent styles), then images in a folder named like a style folder (`styles/`,
 * `paintings/`, `art/`..., any letter case, at any depth; the finder leaves out node_modules and hidden folders), at
 * most MAX_WORKSPACE_STYLES in all. A stylized result (`*.stylized.*`) and the content itself are never among them.
 */

/** Folder names that say the images in them are styles. */
export const STYLE_FOLDERS: readonly string[] = ['style', 'styles', 'painting', 'paintings', 'art', 'artwork', 'artworks'];

/** A few dozen tiles at most: the grid stays quick to render and to take in. */
export const MAX_WORKSPACE_STYLES = 24;

export interface WorkspaceImage {
  /** URI string. */
  readonly uri: string;
  /** Its path relative to the workspace folder, '/'-separated. */
  readonly relative: string;
}

function inStyleFolder(relative: string): boolean {
  return relative.split('/').slice(0, -1).some((folder) => STYLE_FOLDERS.includes(folder.toLowerCase()));
}

/**
 * The workspace images the grid shows, in order: `recent` (the recent styles that are workspace images, newest
 * first), then those of `images` in a style folder.
 */
export function workspaceStyles(recent: readonly WorkspaceImage[], images: readonly WorkspaceImage[], content: string): WorkspaceImage[] {
  const usable = (i: WorkspaceImage) => i.uri !== content && !isStylizedName(i.relative);
  const used = recent.filter(usable);
  const seen = new Set(used.map((i) => i.uri));
  const foldered = images
    .filter((i) => usable(i) && inStyleFolder(i.relative) && !seen.has(i.uri))
    .sort((a, b) => a.relative.localeCompare(b.relative));
  return [...used, ...foldered].slice(0, MAX_WORKSPACE_STYLES);
}
