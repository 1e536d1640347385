import { smallestStyleScale } from '../src/common/fast-limits';
import { COLOR_MODES, STYLE_OPTION_DEFS, type ColorMode, type FastControlOptions } from '../src/common/options';
import type { PaintedMask, StudioView } from '../src/protocol/messages';
import { MaskBrush, type BrushSettings } from './brush';
import { h } from './dom';

/** What the controls ask of the extension; the page numbers and times each. */
export type StudioRequest =
  | { readonly type: 'controls'; readonly controls: Partial<FastControlOptions>; readonly final: boolean }
  | { readonly type: 'mask'; readonly mask: PaintedMask | 'none'; readonly final: boolean }
  | { readonly type: 'pickStyle' }
  | { readonly type: 'removeStyle' };

const COLOR_LABELS: Record<ColorMode, string> = {
  style: 'The style’s',
  luminance: 'The content’s (luminance)',
  histogram: 'The content’s (histogram)',
};

/** The stroke size slider's ends: a quarter to four times the style's own strokes, on a log scale. */
const STROKE_LOG2 = { min: -2, max: Math.log2(STYLE_OPTION_DEFS.styleScale.max) };

/**
 * A fast picture's live controls: strength, stroke size, colours, a second style and its blend, and a brush that
 * paints where the style goes. Each change is sent as it happens (the extension renders only the newest), and once
 * more, `final`, when the control is let go.
 */
export class StudioControls {
  readonly element: HTMLElement;
  readonly brush: MaskBrush;
  private masked: boolean;
  private readonly blendNote = h('p', { class: 'muted note' });
  private blend?: HTMLInputElement;

  constructor(
    private readonly view: StudioView,
    maxSize: number,
    brush: BrushSettings,
    private readonly send: (r: StudioRequest) => void,
  ) {
    const c = view.controls;
    this.masked = view.mask !== undefined;
    this.brush = new MaskBrush(view.width, view.height, view.mask, brush, (mask, final) => {
      this.masked = mask !== 'none';
      this.updateBlend();
      send({ type: 'mask', mask: mask === 'none' ? 'none' : { width: view.width, height: view.height, bytes: mask }, final });
    });
    const strength = slider('strength', 'Style strength', { min: 0, max: 1, step: 0.01, value: c.styleStrength }, (v) => v.toFixed(2));
    this.wire(strength.input, () => ({ styleStrength: Number(strength.input.value) }));
    const lowest = Math.max(STROKE_LOG2.min, Math.log2(smallestStyleScale(maxSize, view.width, view.height)));
    const stroke = slider('stroke', 'Stroke size', { min: lowest, max: STROKE_LOG2.max, step: 0.05, value: Math.log2(c.styleScale) }, (v) => `×${strokeOf(v).toFixed(2)}`);
    this.wire(stroke.input, () => ({ styleScale: strokeOf(Number(stroke.input.value)) }));
    this.element = h('section', { class: 'studio', 'aria-label': 'Controls of the fast picture' },
      strength.field,
      stroke.field,
      this.colours(c.colors),
      this.styles(c.styleBlendWeights),
      this.regions(brush),
    );
    this.updateBlend();
  }

  /** Sends a control's value as it moves, and once more when it is let go. */
  private wire(input: HTMLInputElement, value: () => Partial<FastControlOptions>): void {
    input.addEventListener('input', () => this.send({ type: 'controls', controls: value(), final: false }));
    input.addEventListener('change', () => this.send({ type: 'controls', controls: value(), final: true }));
  }

  private colours(current: ColorMode): HTMLElement {
    const choices = COLOR_MODES.map((mode) => {
      const input = h('input', { type: 'radio', name: 'colors', id: `colors-${mode}`, value: mode, checked: mode === current });
      input.addEventListener('change', () => this.send({ type: 'controls', controls: { colors: mode }, final: true }));
      return h('label', { for: `colors-${mode}` }, input, COLOR_LABELS[mode]);
    });
    return h('fieldset', { class: 'colours' }, h('legend', {}, 'Colours'), ...choices);
  }

  private styles(weights: readonly number[]): HTMLElement {
    const v = this.view;
    if (v.styles.length < 2) {
      const add = h('button', { type: 'button', class: 'secondary', id: 'add-style' }, 'Add a second style…');
      add.addEventListener('click', () => this.send({ type: 'pickStyle' }));
      return h('div', { class: 'second-style' }, add);
    }
    const [first, second] = weights.length === 2 ? weights : [1, 1];
    const blend = slider('blend', 'Blend', { min: 0, max: 1, step: 0.01, value: second / (first + second) }, (x) => `${Math.round((1 - x) * 100)}% · ${Math.round(x * 100)}%`);
    this.blend = blend.input;
    this.wire(blend.input, () => {
      const x = Number(blend.input.value);
      return { styleBlendWeights: [1 - x, x] };
    });
    const remove = h('button', { type: 'button', class: 'secondary', id: 'remove-style' }, 'Remove');
    remove.addEventListener('click', () => this.send({ type: 'removeStyle' }));
    return h('div', { class: 'second-style' },
      h('figure', { class: 'input' }, h('img', { src: v.styleSrcs[1], alt: `Second style: ${v.styles[1].name}` }),
        h('figcaption', {}, h('span', { class: 'muted' }, 'Second style'), ` ${v.styles[1].name}`)),
      blend.field, this.blendNote, remove);
  }

  /** With a mask the regions take the styles whole (white the first, black the second): there is nothing to blend. */
  private updateBlend(): void {
    if (!this.blend) return;
    this.blend.disabled = this.masked;
    this.blendNote.textContent = this.masked ? 'The mask places the styles: the first where it is white, the second where it is tinted.' : '';
  }

  private regions(settings: BrushSettings): HTMLElement {
    const two = this.view.styles.length === 2;
    const toggle = h('button', { type: 'button', class: 'secondary', id: 'paint', 'aria-pressed': String(settings.on) }, 'Paint regions');
    toggle.addEventListener('click', () => {
      this.brush.setOn(!settings.on);
      toggle.setAttribute('aria-pressed', String(settings.on));
    });
    const paints = (['black', 'white'] as const).map((paint) => {
      const label = paint === 'black' ? (two ? 'Second style' : 'Remove the style') : two ? 'First style' : 'Bring the style back';
      const input = h('input', { type: 'radio', name: 'paint', id: `paint-${paint}`, value: paint, checked: settings.paint === paint });
      input.addEventListener('change', () => (settings.paint = paint));
      return h('label', { for: `paint-${paint}` }, input, label);
    });
    const size = slider('brush-size', 'Brush size', { min: 1, max: 40, step: 1, value: settings.size }, (v) => `${v}%`);
    size.input.addEventListener('input', () => (settings.size = Number(size.input.value)));
    const soft = slider('brush-soft', 'Soft edge', { min: 0, max: 1, step: 0.05, value: settings.softness }, (v) => `${Math.round(v * 100)}%`);
    soft.input.addEventListener('input', () => (settings.softness = Number(soft.input.value)));
    const invert = h('button', { type: 'button', class: 'secondary', id: 'invert-mask' }, 'Invert');
    invert.addEventListener('click', () => this.brush.invert());
    const clear = h('button', { type: 'button', class: 'secondary', id: 'clear-mask' }, 'Clear');
    clear.addEventListener('click', () => this.brush.clear());
    return h('fieldset', { class: 'regions' },
      h('legend', {}, 'Regions'),
      h('div', { class: 'row' }, toggle, ...paints),
      size.field, soft.field,
      h('div', { class: 'row' }, invert, clear),
      h('p', { class: 'muted note' }, two
        ? 'Paint on the picture: the tinted parts take the second style, the rest the first.'
        : 'Paint on the picture: the tinted parts keep the content as it is.'),
    );
  }
}

/** The stroke size of a slider position (a power of two, to 0.01). */
function strokeOf(log2: number): number {
  return Math.round(2 ** log2 * 100) / 100;
}

function slider(
  id: string,
  label: string,
  range: { min: number; max: number; step: number; value: number },
  show: (v: number) => string,
): { field: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'range', id, ...range, 'aria-label': label });
  // The value set before min and max would be clamped to the default range.
  input.value = String(range.value);
  const output = h('output', { for: id }, show(Number(input.value)));
  input.addEventListener('input', () => (output.textContent = show(Number(input.value))));
  return { field: h('div', { class: 'control' }, h('label', { for: id }, label), input, output), input };
}
