import * as assert from 'node:assert/strict';
import { pageHtml } from '../../../src/extension/panel-html';

describe('panel page', () => {
  const html = pageHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123', title: 'dog <b>.png · "x"',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('allows nothing by default, scripts only with its nonce, and no remote content', () => {
    const rules = Object.fromEntries(csp.split('; ').map((r) => [r.split(' ')[0], r.split(' ').slice(1)]));
    assert.deepEqual(rules['default-src'], ["'none'"]);
    assert.deepEqual(rules['script-src'], ["'nonce-abc123'"]);
    for (const sources of Object.values(rules)) {
      for (const s of sources) assert.ok(!/^(https?:|\*|'unsafe)/.test(s) || s.includes('vscode-resource'), `allows ${s}`);
    }
    assert.match(html, /<script nonce="abc123" src="[^"]+webview\.js"><\/script>/);
    assert.equal([...html.matchAll(/<script/g)].length, 1);
  });

  it('shows a file name as text, never as markup', () => {
    assert.match(html, /<title>dog &#60;b&#62;\.png · &#34;x&#34;<\/title>/);
  });
});
