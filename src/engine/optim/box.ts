/** A pixel value clipped to [0, 1], where every image the optimizers propose must stay (as the tutorial clips). */
export function intoBox(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
