/**
 * The style grid's front end (Try All Styles): draws the grid the extension sends, each tile as its picture
 * arrives, after checking each message. It keeps no state of its own across a reload: the extension sends it all
 * again when the page asks with `ready`.
 */
import { toGrid } from '../src/protocol/messages';
import { checked } from '../src/protocol/fields';
import { GridPage } from './grid-page';

const vscode = acquireVsCodeApi();
const page = new GridPage(document.getElementById('app')!, (m) => vscode.postMessage(m));

const receive = checked(
  toGrid,
  'message from the extension',
  (m) => {
    switch (m.type) {
      case 'grid':
        page.show(m.content, m.styles);
        break;
      case 'tile':
        page.tile(m.index, m.png);
        break;
      case 'tileFailed':
        page.failed(m.index, m.message);
        break;
      case 'status':
        page.status(m.message);
        break;
    }
  },
  console.error,
);
window.addEventListener('message', (event: MessageEvent<unknown>) => receive(event.data));

vscode.postMessage({ type: 'ready' });
