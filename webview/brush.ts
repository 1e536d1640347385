import { Throttle } from '../src/common/throttle';

/** How the brush paints; kept by the page, so that it stays as set while the picture is redrawn. */
export interface BrushSettings {
  /** Painting over the picture (otherwise the picture takes no pointer). */
  on: boolean;
  /** 'black': the content shows there (with two styles, the second); 'white': the (first) style shows. */
  paint: 'black' | 'white';
  /** Diameter, in hundredths of the picture's longer side. */
  size: number;
  /** The share of the radius that fades out, 0 (a hard edge) to 1. */
  softness: number;
}

/** While painting, the mask is sent at most this often: the picture follows the brush without piling up renders. */
const SEND_MS = 150;

/**
 * The mask painted over a fast picture: white where the (first) style shows, black where the content (or the
 * second style) does, soft in between. The mask itself is an offscreen canvas at the picture's size; over the
 * picture lies a canvas that tints its black parts, which a stroke updates at once, before the picture is rendered
 * again. `send` hears the mask (one byte per pixel) while it is painted and when a stroke ends (`final`).
 */
export class MaskBrush {
  readonly overlay: HTMLCanvasElement;
  private readonly mask: HTMLCanvasElement;
  private readonly maskContext: CanvasRenderingContext2D;
  private readonly overlayContext: CanvasRenderingContext2D;
  private readonly throttle = new Throttle(SEND_MS);
  private pending?: ReturnType<typeof setTimeout>;
  private last?: { x: number; y: number };
  private readonly tint = tintColour();

  constructor(
    private readonly width: number,
    private readonly height: number,
    initial: Uint8Array | undefined,
    private readonly settings: BrushSettings,
    private readonly send: (mask: Uint8Array | 'none', final: boolean) => void,
  ) {
    this.mask = Object.assign(document.createElement('canvas'), { width, height });
    this.maskContext = this.mask.getContext('2d', { willReadFrequently: true })!;
    this.overlay = Object.assign(document.createElement('canvas'), { width, height, className: 'mask-overlay', id: 'mask' });
    this.overlay.setAttribute('role', 'img');
    this.overlay.setAttribute('aria-label', 'The painted mask: tinted where the style is left out');
    this.overlayContext = this.overlay.getContext('2d')!;
    if (initial) {
      const image = this.maskContext.createImageData(width, height);
      for (let p = 0, i = 0; p < initial.length; p++, i += 4) {
        image.data[i] = image.data[i + 1] = image.data[i + 2] = initial[p];
        image.data[i + 3] = 255;
      }
      this.maskContext.putImageData(image, 0, 0);
    } else {
      this.fill(255);
    }
    this.redrawOverlay();
    this.setOn(settings.on);
    this.overlay.addEventListener('pointerdown', (e) => this.down(e));
    this.overlay.addEventListener('pointermove', (e) => this.move(e));
    this.overlay.addEventListener('pointerup', () => this.up());
    this.overlay.addEventListener('pointercancel', () => this.up());
  }

  setOn(on: boolean): void {
    this.settings.on = on;
    this.overlay.classList.toggle('painting', on);
  }

  /** Black becomes white and white black: the regions swap. */
  invert(): void {
    const image = this.maskContext.getImageData(0, 0, this.width, this.height);
    for (let i = 0; i < image.data.length; i += 4) image.data[i] = image.data[i + 1] = image.data[i + 2] = 255 - image.data[i];
    this.maskContext.putImageData(image, 0, 0);
    this.redrawOverlay();
    this.send(this.bytes(), true);
  }

  /** No mask: the style everywhere. */
  clear(): void {
    this.fill(255);
    this.redrawOverlay();
    this.send('none', true);
  }

  private fill(value: number): void {
    this.maskContext.fillStyle = `rgb(${value},${value},${value})`;
    this.maskContext.fillRect(0, 0, this.width, this.height);
  }

  /** The mask as one byte per pixel, row by row. */
  private bytes(): Uint8Array {
    const rgba = this.maskContext.getImageData(0, 0, this.width, this.height).data;
    const out = new Uint8Array(this.width * this.height);
    for (let p = 0; p < out.length; p++) out[p] = rgba[4 * p];
    return out;
  }

  /** The tint over the mask's black parts, drawn anew from the mask. */
  private redrawOverlay(): void {
    const mask = this.maskContext.getImageData(0, 0, this.width, this.height).data;
    const tint = this.overlayContext.createImageData(this.width, this.height);
    const [r, g, b] = this.tint;
    for (let i = 0; i < mask.length; i += 4) {
      tint.data[i] = r;
      tint.data[i + 1] = g;
      tint.data[i + 2] = b;
      tint.data[i + 3] = 255 - mask[i];
    }
    this.overlayContext.putImageData(tint, 0, 0);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.overlay.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * this.width, y: ((e.clientY - box.top) / box.height) * this.height };
  }

  private down(e: PointerEvent): void {
    if (!this.settings.on || e.button !== 0) return;
    this.overlay.setPointerCapture(e.pointerId);
    this.last = this.point(e);
    this.dab(this.last);
    this.sendSoon();
  }

  private move(e: PointerEvent): void {
    if (!this.last) return;
    const to = this.point(e);
    // Dabs a quarter of the radius apart make a continuous stroke however fast the pointer moves.
    const step = Math.max(1, this.radius() / 4);
    const distance = Math.hypot(to.x - this.last.x, to.y - this.last.y);
    for (let d = step; d <= distance; d += step) {
      this.dab({ x: this.last.x + ((to.x - this.last.x) * d) / distance, y: this.last.y + ((to.y - this.last.y) * d) / distance });
    }
    if (distance >= step) this.last = to;
    this.sendSoon();
  }

  private up(): void {
    if (!this.last) return;
    this.last = undefined;
    clearTimeout(this.pending);
    this.pending = undefined;
    this.send(this.bytes(), true);
  }

  private sendSoon(): void {
    if (this.throttle.due()) {
      this.send(this.bytes(), false);
    } else {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        if (this.last) this.send(this.bytes(), false);
      }, SEND_MS);
    }
  }

  private radius(): number {
    return Math.max(1, (this.settings.size / 100) * Math.max(this.width, this.height) / 2);
  }

  /** One round dab of the brush, on the mask and on the tint. */
  private dab({ x, y }: { x: number; y: number }): void {
    const r = this.radius();
    const v = this.settings.paint === 'white' ? 255 : 0;
    const shape = (context: CanvasRenderingContext2D, colour: string) => {
      const g = context.createRadialGradient(x, y, 0, x, y, r);
      g.addColorStop(0, `rgba(${colour},1)`);
      g.addColorStop(Math.max(0, Math.min(1, 1 - this.settings.softness)), `rgba(${colour},1)`);
      g.addColorStop(1, `rgba(${colour},0)`);
      context.fillStyle = g;
      context.beginPath();
      context.arc(x, y, r, 0, 2 * Math.PI);
      context.fill();
    };
    shape(this.maskContext, `${v},${v},${v}`);
    // Black is tinted over; white takes the tint away.
    this.overlayContext.globalCompositeOperation = v === 0 ? 'source-over' : 'destination-out';
    shape(this.overlayContext, this.tint.join(','));
    this.overlayContext.globalCompositeOperation = 'source-over';
  }
}

/** The theme's focus colour, which stands out on any picture less than plain black or white would. */
function tintColour(): [number, number, number] {
  const probe = document.createElement('canvas').getContext('2d')!;
  probe.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}
