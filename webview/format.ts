/** "0:42", "12:05", "1:02:07": elapsed and remaining times. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor(s / 60) % 60;
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function rate(stepsPerSecond: number): string {
  return stepsPerSecond >= 1 ? `${stepsPerSecond.toFixed(1)} steps/s` : `${(1 / stepsPerSecond).toFixed(1)} s/step`;
}

export function loss(v: number): string {
  return v === 0 ? '0' : v.toExponential(2);
}

/** " (scale 2 of 5)", " (tile 3 of 12)" or nothing: where a multi-scale or tiled run is. */
export function whereInRun(p: { stage: number; stages: number; tile?: { index: number; count: number } }): string {
  if (p.tile) return ` (tile ${p.tile.index + 1} of ${p.tile.count})`;
  return p.stages > 1 ? ` (scale ${p.stage + 1} of ${p.stages})` : '';
}
