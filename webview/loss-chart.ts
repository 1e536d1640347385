import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { LossPoint } from '../src/protocol/messages';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation);

type Term = 'total' | 'style' | 'content' | 'tv';

/** The curves and the theme colour each is drawn in (VS Code's chart palette). */
const TERMS: readonly { term: Term; label: string; color: string }[] = [
  { term: 'total', label: 'total', color: '--vscode-charts-foreground' },
  { term: 'style', label: 'style', color: '--vscode-charts-blue' },
  { term: 'content', label: 'content', color: '--vscode-charts-green' },
  { term: 'tv', label: 'total variation', color: '--vscode-charts-orange' },
];

function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

/**
 * The four loss terms against the step, on a log scale (they span orders of magnitude and fall by orders of
 * magnitude). Zero values (the content loss at the first step of a run that starts from the content) have no
 * place on a log scale and are left out.
 */
export class LossChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private readonly themeObserver: MutationObserver;

  constructor(canvas: HTMLCanvasElement, points: readonly LossPoint[]) {
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = TERMS.map((t) => ({
      // The total is dashed: where one term dominates, the two lines coincide and both stay visible.
      label: t.label, data: [], borderWidth: t.term === 'total' ? 2 : 1.5, borderDash: t.term === 'total' ? [6, 4] : [],
      pointRadius: 0, tension: 0,
    }));
    this.chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 } },
          y: { type: 'logarithmic', title: { display: true, text: 'loss (log scale)' } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb', samples: 400 },
          legend: { position: 'bottom' },
        },
      },
    });
    this.applyTheme();
    // VS Code switches the body's theme class when the colour theme changes.
    this.themeObserver = new MutationObserver(() => {
      this.applyTheme();
      this.chart.update('none');
    });
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.add(points);
  }

  add(points: readonly LossPoint[]): void {
    TERMS.forEach((t, i) => {
      const data = this.chart.data.datasets[i].data;
      for (const p of points) if (p[t.term] > 0) data.push({ x: p.step, y: p[t.term] });
    });
    this.chart.update('none');
    const last = points[points.length - 1];
    if (last) {
      this.chart.canvas.setAttribute('aria-label', `Loss curves up to step ${last.step}: total ${last.total.toExponential(2)}`);
    }
  }

  dispose(): void {
    this.themeObserver.disconnect();
    this.chart.destroy();
  }

  private applyTheme(): void {
    const fg = themeColor('--vscode-foreground', '#888');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    TERMS.forEach((t, i) => {
      const ds = this.chart.data.datasets[i];
      ds.borderColor = themeColor(t.color, fg);
      ds.backgroundColor = ds.borderColor;
    });
    const font = { family: themeColor('--vscode-font-family', 'sans-serif') };
    for (const axis of Object.values(this.chart.options.scales ?? {})) {
      if (!axis) continue;
      axis.grid = { ...axis.grid, color: grid };
      axis.ticks = { ...axis.ticks, color: fg, font };
      if ('title' in axis && axis.title) axis.title = { ...axis.title, color: fg, font };
    }
    const legend = this.chart.options.plugins?.legend;
    if (legend) legend.labels = { ...legend.labels, color: fg, font, boxHeight: 2 };
  }
}
