import type { FromGrid, GridStyle } from '../src/protocol/messages';
import { h } from './dom';

/**
 * The grid of one content in many styles: a list box of tiles, each the style image until its picture arrives.
 * Click (or Enter) opens a tile as a fast job at full size; Space, Ctrl+click or the tile's check box selects it;
 * the arrow keys, Home and End move between tiles; Ctrl+A selects all, Escape none.
 */
export class GridPage {
  private tiles: HTMLLIElement[] = [];
  private readonly selected = new Set<number>();
  private focused = 0;
  private rendered = 0;
  private list?: HTMLUListElement;
  private progress?: HTMLElement;
  private statusLine?: HTMLElement;
  private stylizeButton?: HTMLButtonElement;

  constructor(private readonly root: HTMLElement, private readonly post: (m: FromGrid) => void) {
    root.classList.add('styles');
  }

  show(content: { name: string; src: string }, styles: readonly GridStyle[]): void {
    this.selected.clear();
    this.rendered = 0;
    this.focused = Math.min(this.focused, styles.length - 1);
    const own = styles.filter((s) => !s.gallery).length;
    this.progress = h('span', { class: 'muted', id: 'progress', role: 'status' });
    this.statusLine = h('p', { class: 'muted', id: 'grid-status', role: 'status' });
    this.stylizeButton = h('button', { type: 'button', class: 'primary', id: 'stylize-selected', disabled: true }, 'Stylize Selected');
    this.stylizeButton.addEventListener('click', () => this.stylizeSelected());
    const saveAll = h('button', { type: 'button', class: 'secondary', id: 'save-all' }, 'Save All');
    saveAll.addEventListener('click', () => this.post({ type: 'saveAll' }));
    this.tiles = styles.map((s, i) => this.tileElement(s, i));
    this.list = h('ul', { class: 'grid', role: 'listbox', 'aria-multiselectable': 'true', 'aria-label': `${content.name} in each style` }, ...this.tiles);
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.root.replaceChildren(
      h('header', {},
        h('img', { class: 'content', src: content.src, alt: `Content: ${content.name}` }),
        h('div', {},
          h('h1', {}, `${content.name} `, h('span', { class: 'muted' }, 'in every style')),
          h('p', { class: 'muted' },
            `The gallery's ${styles.length - own} paintings${own > 0 ? ` and ${own} image${own > 1 ? 's' : ''} of your workspace that look like styles` : ''}, ` +
            'by the fast method. Click a picture to open it at full size; select several with Space or Ctrl+click.'),
          h('div', { class: 'actions' }, this.stylizeButton, saveAll, this.progress),
        ),
      ),
      this.statusLine,
      this.list,
    );
    this.updateCounts();
  }

  tile(index: number, png: Uint8Array): void {
    const li = this.tiles[index];
    if (!li || li.classList.contains('rendered')) return;
    const img = li.querySelector('img')!;
    const old = img.src;
    img.src = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
    if (old.startsWith('blob:')) URL.revokeObjectURL(old);
    li.classList.add('rendered');
    this.rendered++;
    this.updateCounts();
  }

  failed(index: number, message: string): void {
    const li = this.tiles[index];
    if (!li) return;
    li.classList.add('failed');
    li.querySelector('.note')!.textContent = message;
    li.title = message;
    this.rendered++;
    this.updateCounts();
  }

  status(message: string): void {
    if (this.statusLine) this.statusLine.textContent = message;
  }

  private tileElement(style: GridStyle, index: number): HTMLLIElement {
    const check = h('span', { class: 'check', 'aria-hidden': 'true' });
    const li = h('li', { class: 'tile', role: 'option', id: `tile-${index}`, 'data-index': index, 'aria-selected': 'false', tabindex: index === this.focused ? 0 : -1 },
      h('div', { class: 'frame' }, h('img', { src: style.styleSrc, alt: `${style.label} in this style` }), check),
      h('div', { class: 'label' }, h('strong', {}, style.label), h('span', { class: 'muted' }, style.detail)),
      h('span', { class: 'note' }, 'rendering…'),
    );
    li.addEventListener('click', (e) => {
      this.focus(index);
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.target === check) this.toggle(index);
      else this.post({ type: 'open', index });
    });
    return li;
  }

  private key(e: KeyboardEvent): void {
    const n = this.tiles.length;
    const i = this.focused;
    const columns = this.columns();
    const moves: Record<string, number> = {
      ArrowRight: i + 1, ArrowLeft: i - 1, ArrowDown: i + columns, ArrowUp: i - columns, Home: 0, End: n - 1,
      PageDown: i + columns * 3, PageUp: i - columns * 3,
    };
    if (e.key in moves) this.focus(Math.max(0, Math.min(n - 1, moves[e.key])));
    else if (e.key === 'Enter') this.post({ type: 'open', index: i });
    else if (e.key === ' ') this.toggle(i);
    else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) this.tiles.forEach((_, k) => this.select(k, true));
    else if (e.key === 'Escape') this.tiles.forEach((_, k) => this.select(k, false));
    else return;
    e.preventDefault();
  }

  /** Tiles in the first row: how far Up and Down move (the grid's columns follow the panel's width). */
  private columns(): number {
    const top = this.tiles[0]?.offsetTop;
    const k = this.tiles.findIndex((t) => t.offsetTop !== top);
    return k > 0 ? k : this.tiles.length;
  }

  private focus(index: number): void {
    this.tiles[this.focused]?.setAttribute('tabindex', '-1');
    this.focused = index;
    const li = this.tiles[index];
    li.setAttribute('tabindex', '0');
    li.focus();
  }

  private toggle(index: number): void {
    this.select(index, !this.selected.has(index));
  }

  private select(index: number, on: boolean): void {
    if (on) this.selected.add(index);
    else this.selected.delete(index);
    this.tiles[index].setAttribute('aria-selected', String(on));
    this.updateCounts();
  }

  private stylizeSelected(): void {
    if (this.selected.size > 0) this.post({ type: 'stylize', indices: [...this.selected].sort((a, b) => a - b) });
  }

  private updateCounts(): void {
    const n = this.tiles.length;
    if (this.progress) this.progress.textContent = this.rendered < n ? `${this.rendered} of ${n} rendered…` : `${n} styles`;
    if (this.stylizeButton) {
      this.stylizeButton.disabled = this.selected.size === 0;
      this.stylizeButton.textContent = this.selected.size > 0 ? `Stylize Selected (${this.selected.size})` : 'Stylize Selected';
    }
  }
}
