/**
 * The panel's front end. It draws what the extension sends, after checking each message, and keeps the job's
 * record as its webview state: VS Code hands that state back to the extension after a window reload, which then
 * shows the finished job again instead of an empty panel.
 */
import { toWebview, type WebviewState } from '../src/protocol/messages';
import { checked } from '../src/protocol/fields';
import { JobPage } from './page';

const vscode = acquireVsCodeApi<WebviewState>();
const page = new JobPage(document.getElementById('app')!, (m) => vscode.postMessage(m));

const receive = checked(
  toWebview,
  'message from the extension',
  (m) => {
    switch (m.type) {
      case 'job':
        vscode.setState({ version: '1', record: m.job.record });
        page.show(m.job);
        break;
      case 'tick':
        page.tick(m.progress, m.pace, m.points);
        break;
      case 'previews':
        page.previews(m.previews);
        break;
      case 'rendered':
        page.rendered(m.seq, m.bytes, m.controls, m.final);
        break;
    }
  },
  console.error,
);
window.addEventListener('message', (event: MessageEvent<unknown>) => receive(event.data));

vscode.postMessage({ type: 'ready' });
