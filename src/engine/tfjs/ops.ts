import * as tf from '@tensorflow/tfjs-core';
import type { ConvWeights } from '../weights/keras-h5';
import { CAFFE_MEAN_BGR } from '../vgg19';

/** A conv layer's constants on the device; `flipped` serves the input gradient (see convRelu). */
export interface ConvTensors {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
  readonly flipped: tf.Tensor4D;
}

type Forward<T extends tf.Tensor> = (x: tf.Tensor, save: tf.GradSaveFunc) => {
  value: T;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor;
};

/** tf.customGrad for a one-input op; its own typing takes a variadic mix of tensors and the save function. */
function withGradient<T extends tf.Tensor>(forward: Forward<T>): (x: tf.Tensor) => T {
  const g = tf.customGrad<T>((...args) => forward(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc));
  return (x) => g(x);
}

export function uploadConv(w: ConvWeights, inChannels: number, outChannels: number): ConvTensors {
  return tf.tidy(() => {
    const kernel = tf.tensor4d(w.kernel, [3, 3, inChannels, outChannels]);
    // The input gradient of a 'same' 3x3 conv is a 'same' conv of dy with the kernel reversed on both spatial
    // axes and its in/out channels swapped.
    const flipped = tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return { kernel, bias: tf.tensor1d(w.bias), flipped };
  });
}

/**
 * 3x3 'same' conv + bias + ReLU with a hand-written gradient: the stock Conv2DBackpropInput of the wasm backend
 * takes 83% of a step, a forward conv with the flipped kernel is ~6x faster (docs/backends.md).
 */
export function convRelu(x: tf.Tensor4D, c: ConvTensors): tf.Tensor4D {
  const f = withGradient((input, save) => {
    const y = tf.fused.conv2d({
      x: input as tf.Tensor4D, filter: c.kernel, bias: c.bias, strides: 1, pad: 'same', activation: 'relu',
    });
    save([y]);
    return {
      value: y,
      gradFunc: (dy, saved) =>
        tf.conv2d(tf.mul(dy, tf.step(saved[0])) as tf.Tensor4D, c.flipped, 1, 'same'),
    };
  });
  return f(x);
}

export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

/**
 * G = F^T F / (H*W). Written with an explicit transpose and plain matMuls both ways because the wasm backend's
 * matMul with a transpose flag runs ~10x slower.
 */
export function gram(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const n = h * w;
  const f = withGradient((m, save) => {
    save([m]);
    return {
      value: tf.div(tf.matMul(tf.transpose(m as tf.Tensor2D), m as tf.Tensor2D), n) as tf.Tensor2D,
      gradFunc: (dG, saved) =>
        tf.div(tf.matMul(saved[0] as tf.Tensor2D, tf.add(dG, tf.transpose(dG)) as tf.Tensor2D), n),
    };
  });
  return f(tf.reshape(features, [n, c]));
}

/** Keras "caffe" preprocessing, or only the x255 of the tutorial's raw feature table. */
export function preprocess(image: tf.Tensor4D, raw: boolean): tf.Tensor4D {
  const scaled = tf.mul(image, 255) as tf.Tensor4D;
  if (raw) return scaled;
  return tf.sub(tf.reverse(scaled, -1), tf.tensor1d([...CAFFE_MEAN_BGR])) as tf.Tensor4D;
}

/**
 * `tf.image.total_variation`: sum of absolute neighbour differences. Its gradient uses sign(d), 0 where d is 0 as
 * in TensorFlow; tfjs's stock Abs gradient gives -1 there, which flat or clipped regions hit all the time.
 */
export function totalVariation(image: tf.Tensor4D): tf.Scalar {
  const [, h, w, c] = image.shape;
  const f = withGradient((x, save) => {
    const dh = tf.sub(tf.slice(x, [0, 1, 0, 0], [1, h - 1, w, c]), tf.slice(x, [0, 0, 0, 0], [1, h - 1, w, c]));
    const dw = tf.sub(tf.slice(x, [0, 0, 1, 0], [1, h, w - 1, c]), tf.slice(x, [0, 0, 0, 0], [1, h, w - 1, c]));
    save([dh, dw]);
    return {
      value: tf.add(tf.sum(tf.abs(dh)), tf.sum(tf.abs(dw))) as tf.Scalar,
      gradFunc: (dy, saved) => {
        const sh = tf.sign(saved[0]);
        const sw = tf.sign(saved[1]);
        const gh = tf.sub(tf.pad(sh, [[0, 0], [1, 0], [0, 0], [0, 0]]), tf.pad(sh, [[0, 0], [0, 1], [0, 0], [0, 0]]));
        const gw = tf.sub(tf.pad(sw, [[0, 0], [0, 0], [1, 0], [0, 0]]), tf.pad(sw, [[0, 0], [0, 0], [0, 1], [0, 0]]));
        return tf.mul(tf.add(gh, gw), dy);
      },
    };
  });
  return f(image);
}
