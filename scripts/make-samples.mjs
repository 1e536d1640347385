// Draws the demo's content and style images (vector art rendered by sharp), so the project needs no third-party
// pictures: a landscape with a house to repaint, and a composition of bold strokes and circles to repaint it with.
import sharp from 'sharp';
import { mkdir } from 'fs/promises';

const content = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b7dd8"/><stop offset="1" stop-color="#cfe6ff"/></linearGradient>
    <linearGradient id="field" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5da130"/><stop offset="1" stop-color="#2f5d17"/></linearGradient>
  </defs>
  <rect width="640" height="480" fill="url(#sky)"/>
  <circle cx="520" cy="90" r="46" fill="#ffd54a"/>
  <path d="M0 300 Q160 220 320 290 T640 270 V480 H0 Z" fill="#7bb661"/>
  <path d="M0 360 Q200 300 420 350 T640 340 V480 H0 Z" fill="url(#field)"/>
  <rect x="190" y="250" width="150" height="110" fill="#e9d8b4" stroke="#5b3a1a" stroke-width="4"/>
  <path d="M175 255 L265 185 L355 255 Z" fill="#b23a2a" stroke="#5b3a1a" stroke-width="4"/>
  <rect x="250" y="300" width="34" height="60" fill="#6b4226"/>
  <rect x="205" y="275" width="30" height="28" fill="#9fd3ff" stroke="#5b3a1a" stroke-width="3"/>
  <rect x="295" y="275" width="30" height="28" fill="#9fd3ff" stroke="#5b3a1a" stroke-width="3"/>
  <rect x="455" y="250" width="14" height="90" fill="#5b3a1a"/>
  <circle cx="462" cy="235" r="48" fill="#2e7d32"/>
</svg>`;

const style = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
  <rect width="512" height="512" fill="#f3e3c3"/>
  ${Array.from({ length: 28 }, (_, i) => {
    const a = (i * 137.5 * Math.PI) / 180, r = 40 + (i * 47) % 220;
    const x = 256 + Math.cos(a) * r, y = 256 + Math.sin(a) * r;
    const colours = ['#1d3557', '#e63946', '#f4a261', '#2a9d8f', '#264653', '#e9c46a', '#6a4c93'];
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(12 + (i * 13) % 38)}" fill="none" stroke="${colours[i % 7]}" stroke-width="${4 + (i % 5) * 3}"/>`;
  }).join('\n  ')}
  ${Array.from({ length: 18 }, (_, i) => {
    const x1 = (i * 97) % 512, y1 = (i * 61) % 512, x2 = (i * 173 + 200) % 512, y2 = (i * 211 + 90) % 512;
    return `<path d="M${x1} ${y1} Q${(x1 + x2) / 2 + 60} ${(y1 + y2) / 2 - 60} ${x2} ${y2}" stroke="${['#111', '#c1121f', '#003049', '#fcbf49'][i % 4]}" stroke-width="${3 + (i % 4) * 4}" fill="none"/>`;
  }).join('\n  ')}
</svg>`;

await mkdir('samples', { recursive: true });
await sharp(Buffer.from(content)).png().toFile('samples/landscape.png');
await sharp(Buffer.from(style)).png().toFile('samples/strokes.png');
console.log('wrote samples/landscape.png and samples/strokes.png');
