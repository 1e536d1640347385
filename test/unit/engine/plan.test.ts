import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import { resolveOptions, settingName, type StyleOptions } from '../../../src/common/options';
import { planRun, type FastPlan, type NamedSize } from '../../../src/engine/plan';

const fastAt = (maxSize: number): StyleOptions => resolveOptions({ method: 'fast', maxSize });
const style: NamedSize = { name: 'style.jpg', width: 256, height: 256 };

function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (e: unknown) => e instanceof UserError && message.test(e.message));
}

describe('planRun', () => {
  describe('the fast method', () => {
    it('makes 4096x3072, and refuses a larger picture naming the largest size that fits, as its user spells the option', () => {
      const photo = { name: 'photo.jpg', width: 4000, height: 3000 };
      const plan = planRun(fastAt(4096), photo, [style], settingName) as FastPlan;
      assert.deepEqual([plan.width, plan.height], [4096, 3072]);
      const square = { name: 'square.png', width: 64, height: 64 };
      const refusal = /^square\.png at neuralStyle\.maxSize 4096 would be 4096x4096 = 16\.8 megapixels, over the 12\.6 megapixels the fast method makes at most \(its memory grows with the pixels\); choose neuralStyle\.maxSize 3547 or less$/;
      refuses(() => planRun(fastAt(4096), square, [style], settingName), refusal);
      // The size it names is the largest that fits.
      assert.equal(planRun(fastAt(3547), square, [style], settingName).method, 'fast');
      refuses(() => planRun(fastAt(3548), square, [style], settingName), /choose neuralStyle\.maxSize 3547 or less/);
    });

    it('says that no size works for an image too thin at every size, judged from its own size when decoded shrunk', () => {
      const flag = (key: string) => `--${key}`;
      // Decoded shrunk for 512 px, a 1x5000 image is 2x1024: its own shape is what larger sizes would give.
      const thin = { name: 'thin.png', width: 2, height: 1024, source: { width: 1, height: 5000 } };
      refuses(
        () => planRun(fastAt(512), thin, [style], flag),
        /^thin\.png is 1x5000 px, too thin for the fast method at any size: it must be at least 5 px on each side, and even at 4096 px on its longer side it is 1x4096; crop it to a less elongated shape$/,
      );
      refuses(() => planRun(fastAt(512), { name: 'narrow.png', width: 8, height: 2000 }, [style], flag), /narrow\.png is too small for the fast method: at 2x512 px .*; choose a larger size$/);
    });
  });
});
