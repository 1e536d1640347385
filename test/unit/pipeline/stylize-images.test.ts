import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions, type StyleOptions } from '../../../src/common/options';
import { stylizeImages, type StylizeImagesRequest } from '../../../src/pipeline/stylize-images';
import { randomVggWeights, writeKerasWeights } from '../../helpers/random-vgg-weights';

describe('stylizeImages', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-pipeline-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('a preview that fails stops the previews with one notice, never the run', async () => {
    const weightsPath = path.join(dir, 'weights.h5');
    await writeKerasWeights(weightsPath, randomVggWeights(9, 'block2_conv2'));
    const content = { name: 'content.png', bytes: await sharp({ create: { width: 60, height: 40, channels: 3, background: '#3070b0' } }).png().toBuffer() };
    const style = { name: 'style.png', bytes: await sharp({ create: { width: 32, height: 32, channels: 3, background: '#b04020' } }).png().toBuffer() };
    const options: StyleOptions = {
      ...defaultOptions(), styleLayers: ['block1_conv1', 'block2_conv1'], contentLayers: ['block2_conv1'], maxSize: 48, steps: 5,
    };
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
