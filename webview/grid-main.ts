/**
 * The style grid's front end (Try All Styles): draws the grid the extension sends, each tile as its picture
 * arrives, after checking each message. It keeps no state of its own across a reload: the extension sends it all
 * again when the page asks with `ready`.
 */
import { toGrid, type ToGrid } from '../src/protocol/messages';
import { parse } from '../src/protocol/fields';
import { GridPage } from './grid-page';

const vscode = acquireVsCodeApi();
const page = new GridPage(document.getElementById('app')!, (m) => vscode.postMessage(m));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  let m: ToGrid;
  try {
    m = parse(toGrid, event.data, 'message from the extension');
  } catch (e) {
    console.error(e);
    return;
  }
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
});

vscode.postMessage({ type: 'ready' });
