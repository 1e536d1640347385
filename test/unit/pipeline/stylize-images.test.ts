import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { stylizeImages, type StylizeImagesRequest } from '../../../src/pipeline/stylize-images';
import { tinyJob } from '../../helpers/tiny-job';

describe('stylizeImages', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-pipeline-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('a preview that fails stops the previews with one notice, never the run', async () => {
    const { weightsPath, content, style, optimize: options } = await tinyJob(dir, 5);
    const failing: Record<string, Partial<StylizeImagesRequest>> = {
      'cannot be encoded': { previewSize: 0, onPreview: () => {} },
      'cannot be shown': { onPreview: () => { throw new Error('the panel is gone'); } },
    };
    for (const [how, preview] of Object.entries(failing)) {
      const notices: string[] = [];
      const r = await stylizeImages({
        content, styles: [style], options, weights: async () => weightsPath, format: 'png', onNotice: (m) => notices.push(m), ...preview,
      });
      assert.deepEqual([r.outcome, r.steps], ['done', 5], how);
      assert.equal((await sharp(r.bytes).metadata()).format, 'png');
      assert.equal(notices.length, 1, `${how}: ${notices.join('; ')}`);
      assert.match(notices[0], how === 'cannot be shown' ? /^previews stopped: the panel is gone$/ : /^previews stopped: \S/);
    }
  });
});
