"""TensorFlow peer of one neural-style step, for bench/speed/run.ts: TensorFlow's own style-transfer tutorial.

Its StyleContentModel (tf.keras.applications.VGG19's intermediate outputs, vgg19.preprocess_input, the Gram
matrix by einsum over the locations), its style_content_loss with total variation (tf.image.total_variation) and
its train_step: tf.function, GradientTape, Adam(0.02, beta_1=0.99, epsilon=0.1), clip to [0, 1]. Changed only
where the bench needs it: the VGG19 weights are the bench's file (weights=None, then each layer's kernel and bias
set from the file), the layers and weights are the job's (the tutorial's own preset), and train_step returns its
loss terms so that the first step's can be compared with the other engines'.

  tf-tutorial  the tutorial's @tf.function() train_step
  tf-xla       the same with @tf.function(jit_compile=True)
Reads a JSON job on stdin (see bench/speed/protocol.ts), writes one JSON result line on stdout.
"""
import json
import os
import sys
import time

from peer_result import print_result

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

VARIANTS = {'tf-tutorial', 'tf-xla'}


def vgg_layers(layer_names, weights_file):
    """The tutorial's vgg_layers, its weights from the bench's file."""
    vgg = tf.keras.applications.VGG19(include_top=False, weights=None)
    vgg.trainable = False
    with h5py.File(weights_file, 'r') as f:
        for layer in vgg.layers:
            if layer.name in f:
                group = f[layer.name]
                names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs['weight_names']]
                layer.set_weights([np.asarray(group[n], dtype=np.float32) for n in names])
    outputs = [vgg.get_layer(name).output for name in layer_names]
    return tf.keras.Model([vgg.input], outputs)


def gram_matrix(input_tensor):
    result = tf.linalg.einsum('bijc,bijd->bcd', input_tensor, input_tensor)
    input_shape = tf.shape(input_tensor)
    num_locations = tf.cast(input_shape[1] * input_shape[2], tf.float32)
    return result / num_locations


class StyleContentModel(tf.keras.models.Model):
    def __init__(self, style_layers, content_layers, weights_file):
        super().__init__()
        self.vgg = vgg_layers(style_layers + content_layers, weights_file)
        self.style_layers = style_layers
        self.content_layers = content_layers
        self.num_style_layers = len(style_layers)
        self.vgg.trainable = False

    def call(self, inputs):
        "Expects float input in [0,1]"
        inputs = inputs * 255.0
        preprocessed_input = tf.keras.applications.vgg19.preprocess_input(inputs)
        outputs = self.vgg(preprocessed_input)
        style_outputs, content_outputs = (outputs[:self.num_style_layers], outputs[self.num_style_layers:])
        style_outputs = [gram_matrix(style_output) for style_output in style_outputs]
        content_dict = {name: value for name, value in zip(self.content_layers, content_outputs)}
        style_dict = {name: value for name, value in zip(self.style_layers, style_outputs)}
        return {'content': content_dict, 'style': style_dict}


def read_image(path, size):
    """Raw float32 HWC RGB in [0, 1] -> [1, H, W, 3], as the tutorial's load_img gives."""
    return tf.constant(np.fromfile(path, dtype=np.float32).reshape(1, size, size, 3))


def main():
    job = json.load(sys.stdin)
    variant = job['engine']
    if variant not in VARIANTS:
        raise SystemExit(f'unknown TensorFlow variant {variant}')
    tf.config.threading.set_intra_op_parallelism_threads(job['threads'])
    tf.config.threading.set_inter_op_parallelism_threads(1)
    problem = job['problem']
    size = job['size']
    style_layers = [s['layer'] for s in problem['style']]
    content_layers = [c['layer'] for c in problem['content']]
    style_weights = {s['layer']: s['weight'] for s in problem['style']}
    content_weights = {c['layer']: c['weight'] for c in problem['content']}
    total_variation_weight = problem['tvWeight']

    t0 = time.perf_counter()
    extractor = StyleContentModel(style_layers, content_layers, job['weights'])
    style_targets = extractor(read_image(job['images']['style'], size))['style']
    content_targets = extractor(read_image(job['images']['content'], size))['content']
    image = tf.Variable(read_image(job['images']['start'], size))
    opt = tf.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
    setup_ms = (time.perf_counter() - t0) * 1000

    # The tutorial's style_weight / num_style_layers and content_weight / num_content_layers, per layer.
    def style_content_loss(outputs):
        style_outputs = outputs['style']
        content_outputs = outputs['content']
        style_loss = tf.add_n([style_weights[name] * tf.reduce_mean((style_outputs[name] - style_targets[name]) ** 2)
                               for name in style_outputs.keys()])
        content_loss = tf.add_n([content_weights[name] * tf.reduce_mean((content_outputs[name] - content_targets[name]) ** 2)
                                 for name in content_outputs.keys()])
        return style_loss, content_loss

    def clip_0_1(image):
        return tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0)

    def train_step(image):
        with tf.GradientTape() as tape:
            outputs = extractor(image)
            style_loss, content_loss = style_content_loss(outputs)
            tv_loss = total_variation_weight * tf.reduce_sum(tf.image.total_variation(image))
            loss = style_loss + content_loss + tv_loss

        grad = tape.gradient(loss, image)
        opt.apply_gradients([(grad, image)])
        image.assign(clip_0_1(image))
        return tf.stack([loss, style_loss, content_loss, tv_loss])

    step = tf.function(train_step, jit_compile=variant == 'tf-xla')

    step_ms, losses = [], None
    for i in range(job['warmup'] + job['steps']):
        t = time.perf_counter()
        values = step(image).numpy().tolist()
        if i == 0:
            losses = dict(zip(['total', 'style', 'content', 'tv'], values))
        if i >= job['warmup']:
            step_ms.append((time.perf_counter() - t) * 1000)

    onednn = os.environ.get('TF_ENABLE_ONEDNN_OPTS', '1') != '0'
    print_result(variant, f'TensorFlow {tf.__version__}{" (oneDNN)" if onednn else ""}, tutorial train_step'
                 f'{" with XLA" if variant == "tf-xla" else ""}, {job["threads"]} threads', setup_ms, step_ms, losses)


if __name__ == '__main__':
    main()
