import * as fs from 'fs';
import * as assert from 'node:assert/strict';
import * as path from 'path';

/** The built bundle (npm test builds dist/ before running the tests). */
function bundle(name: string): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return fs.readFileSync(path.join(dir, 'dist', name), 'utf8');
}

describe('extension bundle', () => {
  it('keeps the engine out of the extension host: no TensorFlow.js, ONNX Runtime or sharp', () => {
    const code = bundle('extension.js');
    for (const engine of ['@tensorflow/', 'onnxruntime', 'sharp', 'h5wasm']) {
      assert.ok(!new RegExp(`require\\(["']${engine}`).test(code), `dist/extension.js requires ${engine}`);
    }
    assert.ok(!/registerKernel|InferenceSession/.test(code), 'engine code is bundled into dist/extension.js');
    assert.ok(code.length < 300_000, `dist/extension.js is ${code.length} bytes: something heavy came in`);
  });
});
