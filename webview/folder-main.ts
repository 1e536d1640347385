/**
 * A folder's summary's front end (Stylize Folder with…): draws the summary the extension sends, after checking it.
 * It keeps no state: the extension sends it again when the page asks with `ready`.
 */
import { checked } from '../src/protocol/fields';
import { toFolderSummary } from '../src/protocol/messages';
import { showFolderSummary } from './folder-page';

const vscode = acquireVsCodeApi();
const root = document.getElementById('app')!;

const receive = checked(toFolderSummary, 'message from the extension', (m) => showFolderSummary(root, m, (out) => vscode.postMessage(out)), console.error);
window.addEventListener('message', (event: MessageEvent<unknown>) => receive(event.data));

vscode.postMessage({ type: 'ready' });
