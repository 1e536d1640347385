import * as assert from 'node:assert/strict';
import { MAX_WORKSPACE_STYLES, workspaceStyles } from '../../../src/extension/style-like';

const image = (relative: string) => ({ uri: `file:///w/${relative}`, relative });

describe('the workspace images Try All Styles shows', () => {
  it('takes recent styles first, then images in style folders, never results or the content', () => {
    const images = ['photos/dog.jpg', 'Styles/monet.png', 'art/sub/klee.webp', 'paintings/x.stylized.png', 'my-styles/no.png', 'PAINTINGS/turner.JPG', 'style.jpg']
      .map(image);
    const recent = [image('photos/cat.jpg'), image('photos/dog.jpg')];
    const chosen = workspaceStyles(recent, images, 'file:///w/photos/dog.jpg').map((i) => i.relative);
    assert.deepEqual(chosen, ['photos/cat.jpg', 'art/sub/klee.webp', 'PAINTINGS/turner.JPG', 'Styles/monet.png']);
  });

  it('shows a few dozen at most', () => {
    const many = Array.from({ length: 100 }, (_, i) => image(`styles/s${String(i).padStart(3, '0')}.png`));
    const chosen = workspaceStyles([], many, 'file:///w/dog.jpg');
    assert.equal(chosen.length, MAX_WORKSPACE_STYLES);
    assert.equal(chosen[0].relative, 'styles/s000.png');
  });
});
