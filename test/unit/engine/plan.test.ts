import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import { resolveOptions, settingName, type StyleOptions } from '../../../src/common/options';
import { planFast } from '../../../src/engine/plan';

const fastAt = (maxSize: number): StyleOptions => resolveOptions({ method: 'fast', maxSize });

function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (e: unknown) => e instanceof UserError && message.test(e.message));
}

describe('planFast', () => {
  describe('the fast method', () => {
    it('makes 4096x3072, and refuses a larger picture naming the largest size that fits, as its user spells the option', () => {
      const photo = { name: 'photo.jpg', width: 4000, height: 3000 };
      const plan = planFast(fastAt(4096), photo, 1, settingName);
      assert.deepEqual([plan.width, plan.height], [4096, 3072]);
      const square = { name: 'square.png', width: 64, height: 64 };
      const refusal = /^square\.png at neuralStyle\.maxSize 4096 would be 4096x4096 = 16\.8 megapixels, over the 12\.6 megapixels the fast method makes at most \(its memory grows with the pixels\); choose neuralStyle\.maxSize 3547 or less$/;
      refuses(() => planFast(fastAt(4096), square, 1, settingName), refusal);
      // The size it names is the largest that fits.
      assert.equal(planFast(fastAt(3547), square, 1, settingName).method, 'fast');
      refuses(() => planFast(fastAt(3548), square, 1, settingName), /choose neuralStyle\.maxSize 3547 or less/);
    });

    it('says that no size works for an image too thin at every size, judged from its own size when decoded shrunk', () => {
      const flag = (key: string) => `--${key}`;
      // Decoded shrunk for 512 px, a 1x5000 image is 2x1024: its own shape is what larger sizes would give.
      const thin = { name: 'thin.png', width: 2, height: 1024, source: { width: 1, height: 5000 } };
      refuses(
        () => planFast(fastAt(512), thin, 1, flag),
        /^thin\.png is 1x5000 px, too thin for the fast method at any size: it must be at least 5 px on each side, and even at 4096 px on its longer side it is 1x4096; crop it to a less elongated shape$/,
      );
      refuses(() => planFast(fastAt(512), { name: 'narrow.png', width: 8, height: 2000 }, 1, flag), /narrow\.png is too small for the fast method: at 2x512 px .*; choose a larger size$/);
    });
  });
});
