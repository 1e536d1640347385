"""Native TFLite as the fast-mode benchmark's peer (bench/fast/run.ts): Magenta's two nets as shipped (the int8
predictor, the float16 transformer, assets/fast) in TensorFlow's tf.lite.Interpreter, whose default delegate is
XNNPACK (LiteRT, its successor package, is the same runtime). The transformer's content input is resized to the
job's size (rounded up to a multiple of 4, as the engine pads it).

Reads a FastJob (bench/fast/protocol.ts) as JSON on stdin, writes a FastOutcome as the last line of stdout.
"""
import json
import os
import resource
import sys
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../assets/fast')
PREDICTOR = 'style_predict_quantized_256.tflite'
TRANSFORMER = 'style_transfer_f16_384.tflite'


def timed(runs, f):
    """Milliseconds of each of `runs` calls, after one untimed (as bench/fast/child-io.ts)."""
    f()
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def main():
    job = json.load(sys.stdin)
    threads = job['threads']
    width, height = [-(-job[k] // 4) * 4 for k in ('width', 'height')]
    t0 = time.perf_counter()
    predictor = tf.lite.Interpreter(model_path=os.path.join(ASSETS, PREDICTOR), num_threads=threads)
    predictor.allocate_tensors()
    transformer = tf.lite.Interpreter(model_path=os.path.join(ASSETS, TRANSFORMER), num_threads=threads)
    inputs = transformer.get_input_details()
    content_input = next(d for d in inputs if len(d['shape']) == 4 and d['shape'][-1] == 3)
    vector_input = next(d for d in inputs if d is not content_input)
    transformer.resize_tensor_input(content_input['index'], [1, height, width, 3])
    transformer.allocate_tensors()
    load_ms = (time.perf_counter() - t0) * 1000

    rng = np.random.default_rng(1)
    style = rng.random((1, 256, 256, 3), dtype=np.float32)
    content = rng.random((1, height, width, 3), dtype=np.float32)
    predictor_in = predictor.get_input_details()[0]['index']
    predictor_out = predictor.get_output_details()[0]['index']

    def predict():
        predictor.set_tensor(predictor_in, style)
        predictor.invoke()
        return predictor.get_tensor(predictor_out)

    vector = predict()

    def transfer():
        transformer.set_tensor(content_input['index'], content)
        transformer.set_tensor(vector_input['index'], vector.reshape(vector_input['shape']))
        transformer.invoke()
        return transformer.get_tensor(transformer.get_output_details()[0]['index'])

    print(json.dumps({
        'job': job,
        'detail': f'TFLite native (TensorFlow {tf.__version__} tf.lite.Interpreter, XNNPACK), {threads} thread{"s" if threads > 1 else ""}',
        'loadMs': load_ms,
        'predictorMs': timed(job['runs'], predict),
        'contentVectorMs': [],
        'transformerMs': timed(job['runs'], transfer),
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()
