import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../../src/common/errors';
import { constantFloats } from '../../../src/engine/fast/dequantize';
import { FAST_NET_FILES } from '../../../src/engine/fast/fast-nets';
import { readTfliteModel, type TfliteModel } from '../../../src/engine/fast/tflite-model';
import { ACT, buildTflite, float32Bytes, int32Bytes, OP, options, TYPE } from './tflite-builder';

const ASSETS = path.resolve(__dirname, '../assets/fast');
const PREDICTOR = path.join(ASSETS, FAST_NET_FILES.predictor.file);
const TRANSFORMER = path.join(ASSETS, FAST_NET_FILES.transformer.file);

/** A conv with per-channel int8 weights and int32 biases, a float16 constant behind a DEQUANTIZE, and an ADD. */
function quantizedModel(): Uint8Array {
  return buildTflite({
    tensors: [
      { shape: [1, 4, 4, 2], type: TYPE.FLOAT32 },
      // weights [2, 1, 1, 2], one scale per output channel (axis 0), zero points 0
      { shape: [2, 1, 1, 2], type: TYPE.INT8, data: new Uint8Array(Int8Array.of(-128, 127, 2, -4).buffer), quant: { scale: [0.5, 0.25], zeroPoint: [0, 0], axis: 0 } },
      { shape: [2], type: TYPE.INT32, data: int32Bytes([100, -8]), quant: { scale: [0.01, 0.5], zeroPoint: [0, 0], axis: 0 } },
      { shape: [1, 4, 4, 2], type: TYPE.FLOAT32 },
      // float16 1.0 and -2.5
      { shape: [2], type: TYPE.FLOAT16, data: new Uint8Array(Uint16Array.of(0x3c00, 0xc100).buffer) },
      { shape: [2], type: TYPE.FLOAT32 },
      { shape: [1, 4, 4, 2], type: TYPE.FLOAT32 },
    ],
    operators: [
      { code: OP.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: options.conv('VALID', 1, ACT.RELU6) },
      { code: OP.DEQUANTIZE, inputs: [4], outputs: [5] },
      { code: OP.ADD, inputs: [3, 5], outputs: [6], options: options.add(ACT.NONE) },
    ],
    inputs: [0],
    outputs: [6],
  });
}

function expectUnusable(read: () => unknown, file: string, why: RegExp): void {
  assert.throws(read, (e: unknown) => {
    assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, why);
    return true;
  });
}

describe('fast mode: reading .tflite files', () => {
  it('reads the shipped nets: their inputs, outputs, operators and quantization', () => {
    const p = readTfliteModel(readFileSync(PREDICTOR), PREDICTOR);
    const shapes = (m: TfliteModel, ids: readonly number[]) => ids.map((i) => m.tensors[i].shape);
    assert.deepEqual(shapes(p, p.inputs), [[1, 256, 256, 3]]);
    assert.deepEqual(shapes(p, p.outputs), [[1, 1, 1, 100]]);
    const count = (m: TfliteModel, op: string) => m.operators.filter((o) => o.op === op).length;
    assert.deepEqual(
      ['QUANTIZE', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'MEAN', 'DEQUANTIZE'].map((op) => count(p, op)),
      [1, 36, 17, 10, 1, 1],
    );
    // Depthwise filters are quantized along their last axis (the channels), conv filters along the first.
    const depthwise = p.operators.find((o) => o.op === 'DEPTHWISE_CONV_2D')!;
    const filter = p.tensors[depthwise.inputs[1]];
    assert.equal(filter.type, 'INT8');
    assert.equal(filter.quantization!.axis, 3);
    assert.equal(filter.quantization!.scale.length, filter.shape[3]);

    const t = readTfliteModel(readFileSync(TRANSFORMER), TRANSFORMER);
    assert.deepEqual(shapes(t, t.inputs), [[1, 384, 384, 3], [1, 1, 1, 100]]);
    assert.equal(count(t, 'MIRROR_PAD'), 16);
    assert.equal(count(t, 'RESIZE_NEAREST_NEIGHBOR'), 3);
    assert.ok(t.tensors.filter((x) => x.data).every((x) => x.type === 'FLOAT16' || x.type === 'INT32'));
  });

  it('reads tensors, quantization and options as written, and dequantizes per channel', () => {
    const m = readTfliteModel(quantizedModel(), 'q.tflite');
    assert.deepEqual(m.inputs, [0]);
    assert.deepEqual(m.outputs, [6]);
    assert.deepEqual(
      m.operators.map((o) => o.op),
      ['CONV_2D', 'DEQUANTIZE', 'ADD'],
    );
    const conv = m.operators[0];
    assert.deepEqual(conv.op === 'CONV_2D' && conv.options, {
      padding: 'VALID',
      strideW: 1,
      strideH: 1,
      activation: 'RELU6',
      dilationW: 1,
      dilationH: 1,
    });
    assert.deepEqual(m.tensors[1].quantization, { scale: [0.5, 0.25], zeroPoint: [0, 0], axis: 0 });
    // real = scale[channel] * q: channel 0 is [-128, 127] * 0.5, channel 1 [2, -4] * 0.25
    assert.deepEqual(Array.from(constantFloats(m.tensors[1])), [-64, 63.5, 0.5, -1]);
    assert.deepEqual(Array.from(constantFloats(m.tensors[2])), [1, -4]);
    assert.deepEqual(Array.from(constantFloats(m.tensors[4])), [1, -2.5]);
  });

  it('names an operator it does not convert, builtin or custom', () => {
    const withOp = (code: number, custom?: string) =>
      buildTflite({
        tensors: [{ shape: [1, 2, 2, 1], type: TYPE.FLOAT32 }, { shape: [1, 2, 2, 1], type: TYPE.FLOAT32 }],
        operators: [{ code, custom, inputs: [0], outputs: [1] }],
        inputs: [0],
        outputs: [1],
      });
    expectUnusable(() => readTfliteModel(withOp(OP.SOFTMAX), 'soft.tflite'), 'soft.tflite', /operator SOFTMAX/);
    expectUnusable(() => readTfliteModel(withOp(32, 'MyOp'), 'custom.tflite'), 'custom.tflite', /custom operator "MyOp"/);
  });

  it('refuses options of the wrong kind, an unknown fused activation and another schema version', () => {
    const conv = (opts: ReturnType<typeof options.conv>, version?: number) =>
      buildTflite({
        version,
        tensors: [
          { shape: [1, 2, 2, 1], type: TYPE.FLOAT32 },
          { shape: [1, 1, 1, 1], type: TYPE.FLOAT32, data: float32Bytes([1]) },
          { shape: [1, 2, 2, 1], type: TYPE.FLOAT32 },
        ],
        operators: [{ code: OP.CONV_2D, inputs: [0, 1, -1], outputs: [2], options: opts }],
        inputs: [0],
        outputs: [2],
      });
    assert.doesNotThrow(() => readTfliteModel(conv(options.conv('SAME', 1, ACT.NONE)), 'ok.tflite'));
    expectUnusable(() => readTfliteModel(conv(options.add(ACT.NONE)), 'kind.tflite'), 'kind.tflite', /CONV_2D lacks its options/);
    expectUnusable(() => readTfliteModel(conv(options.conv('SAME', 1, ACT.SIGN_BIT)), 'act.tflite'), 'act.tflite', /fused activation 5/);
    expectUnusable(() => readTfliteModel(conv(options.conv('SAME', 1, ACT.NONE), 2), 'v2.tflite'), 'v2.tflite', /schema version 2/);
  });

  it('refuses a file that is not a TFLite model, and truncated copies of the real nets', () => {
    expectUnusable(() => readTfliteModel(new TextEncoder().encode('not a model at all'), 'notes.txt'), 'notes.txt', /does not start like one/);
    expectUnusable(() => readTfliteModel(new Uint8Array(0), 'empty.tflite'), 'empty.tflite', /does not start like one/);
    for (const file of [PREDICTOR, TRANSFORMER]) {
      const bytes = readFileSync(file);
      for (const keep of [12, 1000, Math.floor(bytes.length / 2), bytes.length - 100]) {
        expectUnusable(() => readTfliteModel(bytes.subarray(0, keep), file), file, /truncated or damaged|holds \d+ bytes/);
      }
    }
  });

  it('refuses damaged tables of the real predictor: its root offset, the vtable of its root table', () => {
    const original = readFileSync(PREDICTOR);
    const damaged = (at: number, value: number) => {
      const b = Uint8Array.from(original);
      new DataView(b.buffer).setUint32(at, value, true);
      return b;
    };
    expectUnusable(() => readTfliteModel(damaged(0, original.length + 16), 'root.tflite'), 'root.tflite', /truncated or damaged/);
    const root = new DataView(original.buffer, original.byteOffset).getUint32(0, true);
    // The root table's first word locates its vtable; pointing it far away must not read garbage as fields.
    expectUnusable(() => readTfliteModel(damaged(root, 0x7ffffff0), 'vtable.tflite'), 'vtable.tflite', /truncated or damaged/);
  });

  it('never fails other than with a UserError, whatever byte of a small model is damaged or wherever it ends', () => {
    const bytes = quantizedModel();
    for (let end = 0; end < bytes.length; end++) {
      assert.throws(() => readTfliteModel(bytes.subarray(0, end), 'cut.tflite'), UserError, `cut at ${end}`);
    }
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0xff, 0x80, 0x01]) {
        const b = Uint8Array.from(bytes);
        b[i] ^= flip;
        try {
          readTfliteModel(b, 'flipped.tflite');
        } catch (e) {
          assert.ok(e instanceof UserError, `byte ${i} ^ ${flip}: ${String(e)}`);
        }
      }
    }
  });
});
