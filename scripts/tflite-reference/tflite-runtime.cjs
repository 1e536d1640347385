// The real TensorFlow Lite interpreter (with XNNPACK), as @tensorflow/tfjs-tflite ships it compiled to wasm, run in
// Node. The package is written for browsers; four stand-ins make its loader work here:
// - `self` (and `self.location`, which emscripten resolves the .wasm files against);
// - `importScripts`, with which the loader pulls in emscripten's JS glue: run in this context with `vm`;
// - `fetch` of file: URLs, which is how the glue reads the .wasm;
// - no `MessageChannel` until the first model is loaded: the package then takes its single-threaded build (the
//   threaded one needs cross-origin-isolated workers), and keeps it.
// It accepts only the sizes the model was made for (the nets here: 384x384 content, 256x256 style).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { fileURLToPath, pathToFileURL } = require('url');

const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm') + path.sep;

globalThis.self = globalThis;
self.location = { origin: 'file://', href: pathToFileURL(WASM_DIR).href };
globalThis.importScripts = (url) => vm.runInThisContext(fs.readFileSync(fileURLToPath(url), 'utf8'), { filename: url });
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (url, init) =>
  String(url).startsWith('file:')
    ? new Response(fs.readFileSync(fileURLToPath(String(url))), { headers: { 'content-type': 'application/wasm' } })
    : nodeFetch(url, init);

const channel = globalThis.MessageChannel;
globalThis.MessageChannel = undefined;

const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tflite = require('@tensorflow/tfjs-tflite');

let ready;
function setup() {
  ready ??= tf.setBackend('cpu').then(() => tflite.setWasmPath(WASM_DIR));
  return ready;
}

/**
 * A model from a .tflite file's bytes; `run(inputs)` takes [{ data: Float32Array, shape }] in the model's input
 * order and returns the first output's values, copied out of the wasm heap (the next run overwrites them).
 */
async function loadTflite(bytes) {
  await setup();
  let model;
  try {
    model = await tflite.loadTFLiteModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { numThreads: 1 });
  } finally {
    globalThis.MessageChannel = channel;
  }
  return {
    inputs: model.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    run(inputs) {
      return tf.tidy(() => {
        const tensors = inputs.map((i) => tf.tensor(i.data, i.shape, 'float32'));
        const out = model.predict(tensors.length === 1 ? tensors[0] : tensors);
        const first = out instanceof tf.Tensor ? out : Object.values(out)[0];
        return Float32Array.from(first.dataSync());
      });
    },
  };
}

module.exports = { loadTflite };
