import type { FromFolderSummary, ToFolderSummary } from '../src/protocol/messages';
import { h } from './dom';

type Summary = Extract<ToFolderSummary, { type: 'summary' }>;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * A folder's summary (Stylize Folder with…): the results as the style grid's tiles, each the written file itself
 * (loaded as it scrolls into view); a click or Enter opens it. The images that failed are listed above it, the files
 * skipped below, each with its reason.
 */
export function showFolderSummary(root: HTMLElement, s: Summary, post: (m: FromFolderSummary) => void): void {
  root.classList.add('styles');
  const reveal = h('button', { type: 'button', class: 'secondary', id: 'reveal' }, 'Reveal in Explorer');
  reveal.addEventListener('click', () => post({ type: 'reveal' }));
  const ended = s.stopped === '' ? '' : s.stopped === 'cancelled' ? ` Cancelled: ${plural(s.notStarted, 'image')} not started.` : ` Stopped: ${s.stopped}.`;
  const tiles = s.written.map((w, index) => {
    const li = h('li', { class: 'tile rendered', id: `result-${index}`, role: 'listitem', tabindex: 0, title: `Open ${w.name}` },
      h('div', { class: 'frame' }, h('img', { src: w.src, alt: w.name, loading: 'lazy' })),
      h('div', { class: 'label' }, h('strong', {}, w.name)),
    );
    li.addEventListener('click', () => post({ type: 'open', index }));
    li.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      post({ type: 'open', index });
      e.preventDefault();
    });
    return li;
  });
  const misses = (id: string, what: string, list: Summary['skipped']) => list.length === 0 ? [] : [h('section', { id },
    h('h2', {}, `${what} (${list.length})`),
    h('ul', { class: 'misses' }, ...list.map((m) => h('li', {}, h('strong', {}, m.name), `: ${m.reason}`))),
  )];
  root.replaceChildren(
    h('header', {},
      h('div', {},
        h('h1', {}, `${s.folder} `, h('span', { class: 'muted' }, `→ ${s.results.name}`)),
        h('p', { class: 'muted', id: 'counts', role: 'status' },
          `${plural(s.written.length, 'picture')} written by the ${s.method === 'fast' ? 'fast method' : 'optimisation'}` +
          `${s.failed.length > 0 ? `, ${s.failed.length} failed` : ''}${s.skipped.length > 0 ? `, ${plural(s.skipped.length, 'file')} skipped` : ''}.${ended}` +
          `${s.written.length > 0 ? ' Click a picture to open it.' : ''}`),
        h('div', { class: 'actions' }, reveal),
      ),
    ),
    ...misses('failed', 'Failed', s.failed),
    h('ul', { class: 'grid', role: 'list', 'aria-label': `the pictures written into ${s.results.name}` }, ...tiles),
    ...misses('skipped', 'Skipped', s.skipped),
  );
}
