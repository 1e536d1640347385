/**
 * The panel's page: an empty shell that loads the bundled front end (webview/main.ts) and its stylesheet. The
 * Content Security Policy allows nothing remote: scripts only with this page's nonce, styles, fonts and images
 * only from the extension's and the job's folders (`cspSource`), and the in-memory progress images (`blob:`).
 */
export function pageHtml(p: { cspSource: string; nonce: string; scriptUri: string; styleUri: string; title: string }): string {
  const csp = [
    "default-src 'none'",
    `img-src ${p.cspSource} blob:`,
    `style-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${p.styleUri}">
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
