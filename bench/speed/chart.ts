import sharp from 'sharp';
import type { EngineName } from './protocol';
import type { BenchRun, Summary } from './report';

const COLORS: Record<EngineName, string> = {
  onnx: '#1f77b4',
  wasm: '#ff9f1c',
  tensorflow: '#7f7f7f',
  'pytorch-eager': '#d62728',
  'pytorch-channels-last': '#e377c2',
  'pytorch-compile': '#8c564b',
  'pytorch-bf16': '#bcbd22',
  'tf-tutorial': '#2ca02c',
  'tf-xla': '#17becf',
};
const W = 960;
const LEGEND_ROW = 18;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Seconds per step by size and engine as grouped bars on a log scale (the engines differ 10x and the sizes 64x in
 * work), each labelled with its time and, under it, its ratio to the fastest peer. Drawn as SVG, rasterised by sharp.
 */
export function chartSvg(run: BenchRun, summary: Summary): string {
  const sizes = [...new Set(summary.cells.map((c) => c.size))].sort((a, b) => a - b);
  const engines = [...new Set(summary.cells.map((c) => c.engine))];
  // One legend row per engine under the size labels: the details are too long to share a row.
  const H = 500 + engines.length * LEGEND_ROW;
  const PLOT = { left: 80, right: W - 30, top: 90, bottom: 450 };
  const seconds = summary.cells.map((c) => c.medianMs / 1000);
  // Half the shortest time above the axis, so that a bar just over a power of ten still shows.
  const lo = Math.floor(Math.log10(Math.min(...seconds) / 2));
  const hi = Math.ceil(Math.log10(Math.max(...seconds)));
  const y = (s: number) => PLOT.bottom - ((Math.log10(s) - lo) / (hi - lo)) * (PLOT.bottom - PLOT.top);
  const group = (PLOT.right - PLOT.left) / sizes.length;
  const bar = Math.min(56, (group * 0.8) / engines.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="30" text-anchor="middle" font-size="19" font-weight="bold">Seconds per step (VGG19 forward + image gradient), lower is better</text>`,
    `<text x="${W / 2}" y="52" text-anchor="middle" font-size="13" fill="#444">${escape(
      `${run.machine.cpu} (${run.machine.simd}), ${run.machine.cores} cores; ${run.date.slice(0, 10)}; median over ${run.rounds} alternating rounds`,
    )}</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12">${v >= 1 ? v : v.toFixed(-e)} s</text>`);
  }
  sizes.forEach((size, i) => {
    const here = engines.filter((e) => summary.cells.some((c) => c.engine === e && c.size === size));
    const x0 = PLOT.left + i * group + (group - here.length * bar) / 2;
    here.forEach((engine, j) => {
      const c = summary.cells.find((cell) => cell.engine === engine && cell.size === size)!;
      const s = c.medianMs / 1000;
      const x = x0 + j * bar;
      out.push(`<rect x="${x + 2}" y="${y(s)}" width="${bar - 4}" height="${PLOT.bottom - y(s)}" fill="${COLORS[engine]}"/>`);
      out.push(`<text x="${x + bar / 2}" y="${y(s) - 18}" text-anchor="middle" font-size="11">${s < 10 ? s.toFixed(2) : s.toFixed(1)}</text>`);
      if (c.vsFastest !== undefined) {
        out.push(`<text x="${x + bar / 2}" y="${y(s) - 5}" text-anchor="middle" font-size="10" fill="#555">${c.vsFastest.toFixed(2)}x</text>`);
      }
    });
    out.push(`<text x="${PLOT.left + (i + 0.5) * group}" y="${PLOT.bottom + 22}" text-anchor="middle" font-size="14">${size} x ${size} px</text>`);
  });
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333"/>`);
  engines.forEach((engine, i) => {
    const y = PLOT.bottom + 50 + i * LEGEND_ROW;
    const detail = summary.cells.find((c) => c.engine === engine)!.detail;
    out.push(`<rect x="${PLOT.left}" y="${y - 11}" width="14" height="14" fill="${COLORS[engine]}"/>`);
    out.push(`<text x="${PLOT.left + 20}" y="${y}" font-size="12">${escape(`${engine}: ${detail}`)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export async function renderChart(run: BenchRun, summary: Summary): Promise<Buffer> {
  return sharp(Buffer.from(chartSvg(run, summary))).png().toBuffer();
}
