"""PyTorch peer of one neural-style step, for bench/speed/run.ts: exactly the work of the project's backends.

VGG19 (Keras weights file, read the way Keras reads it) up to the deepest layer used, Keras "caffe"
preprocessing, style terms weight * mean((Gram - target)^2) with Gram = F^T F / (H*W), content terms
weight * mean((F - target)^2), total variation weight * sum |neighbour differences|, and the gradient of the
total with respect to the image by autograd (weights are constants: no weight gradients are computed).

The job's engine names the way a PyTorch user would run it:
  pytorch-eager          plain eager mode (NCHW)
  pytorch-channels-last  eager with images and kernels in channels_last (NHWC) memory: oneDNN's preferred layout
  pytorch-compile        torch.compile (inductor) of the step, channels_last
  pytorch-bf16           eager channels_last under CPU autocast to bfloat16
Reads a JSON job on stdin (see bench/speed/protocol.ts), writes one JSON result line on stdout. Run by the
bench's virtual environment (bench/speed/setup.ts).
"""
import json
import sys
import time

from peer_result import print_result

import h5py
import numpy as np
import torch
import torch.nn.functional as F

CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]
BLOCKS = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)]
LAYERS = [(f'block{b + 1}_conv{c}', c == n) for b, (_, n) in enumerate(BLOCKS) for c in range(1, n + 1)]
VARIANTS = {'pytorch-eager', 'pytorch-channels-last', 'pytorch-compile', 'pytorch-bf16'}


def load_weights(path, names, memory_format):
    """Kernel (HWIO in the file, OIHW for torch) and bias per layer, following layer_names/weight_names."""
    out = {}
    with h5py.File(path, 'r') as f:
        for name in names:
            group = f[name]
            kernel_name, bias_name = [n.decode() if isinstance(n, bytes) else n for n in group.attrs['weight_names']]
            kernel = torch.from_numpy(np.ascontiguousarray(np.asarray(group[kernel_name], dtype=np.float32).transpose(3, 2, 0, 1)))
            out[name] = (kernel.contiguous(memory_format=memory_format),
                         torch.from_numpy(np.asarray(group[bias_name], dtype=np.float32)))
    return out


def read_image(path, size, memory_format):
    """Raw float32 HWC RGB in [0, 1] -> [1, 3, H, W]."""
    hwc = np.fromfile(path, dtype=np.float32).reshape(size, size, 3)
    return torch.from_numpy(np.ascontiguousarray(hwc.transpose(2, 0, 1)))[None].contiguous(memory_format=memory_format)


def preprocess(x):
    bgr = (x * 255).flip(1)
    return bgr - torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1)


def forward(x, layers, weights):
    acts = {}
    for i, (name, pool_after) in enumerate(layers):
        kernel, bias = weights[name]
        x = F.relu(F.conv2d(x, kernel, bias, padding=1))
        acts[name] = x
        if pool_after and i < len(layers) - 1:
            x = F.max_pool2d(x, 2, 2)
    return acts


def gram(a):
    c = a.shape[1]
    f = a.reshape(c, -1).float()
    return f @ f.t() / f.shape[1]


def total_variation(x):
    return (x[:, :, 1:, :] - x[:, :, :-1, :]).abs().sum() + (x[:, :, :, 1:] - x[:, :, :, :-1]).abs().sum()


def main():
    job = json.load(sys.stdin)
    variant = job['engine']
    if variant not in VARIANTS:
        raise SystemExit(f'unknown PyTorch variant {variant}')
    torch.set_num_threads(job['threads'])
    torch.set_num_interop_threads(1)
    memory_format = torch.contiguous_format if variant == 'pytorch-eager' else torch.channels_last
    problem = job['problem']
    size = job['size']
    style_layers = [s['layer'] for s in problem['style']]
    content_layers = [c['layer'] for c in problem['content']]
    deepest = max(i for i, (n, _) in enumerate(LAYERS) if n in style_layers + content_layers)
    layers = LAYERS[:deepest + 1]

    t0 = time.perf_counter()
    weights = load_weights(job['weights'], [n for n, _ in layers], memory_format)
    with torch.no_grad():
        style_acts = forward(preprocess(read_image(job['images']['style'], size, memory_format)), layers, weights)
        content_acts = forward(preprocess(read_image(job['images']['content'], size, memory_format)), layers, weights)
        grams = {s: gram(style_acts[s]) for s in style_layers}
        features = {c: content_acts[c] for c in content_layers}
    del style_acts, content_acts
    image = read_image(job['images']['start'], size, memory_format)
    setup_ms = (time.perf_counter() - t0) * 1000

    def losses_of(x):
        acts = forward(preprocess(x), layers, weights)
        style = sum(s['weight'] * ((gram(acts[s['layer']]) - grams[s['layer']]) ** 2).mean() for s in problem['style'])
        content = sum(c['weight'] * ((acts[c['layer']].float() - features[c['layer']]) ** 2).mean() for c in problem['content'])
        tv = problem['tvWeight'] * total_variation(x)
        return style + content + tv, style, content, tv

    def value_and_grad(x):
        x = x.detach().requires_grad_(True)
        total, style, content, tv = losses_of(x)
        total.backward()
        return torch.stack([total.detach(), style.detach(), content.detach(), tv.detach()]), x.grad

    if variant == 'pytorch-bf16':
        def evaluate(x):
            with torch.autocast('cpu', dtype=torch.bfloat16):
                return value_and_grad(x)
    elif variant == 'pytorch-compile':
        evaluate = torch.compile(value_and_grad)
    else:
        evaluate = value_and_grad

    step_ms, losses = [], None
    for i in range(job['warmup'] + job['steps']):
        t = time.perf_counter()
        values, grad = evaluate(image)
        values = values.tolist()  # waits for the step, as the engines' steps do
        if i == 0:
            losses = dict(zip(['total', 'style', 'content', 'tv'], values))
        if i >= job['warmup']:
            step_ms.append((time.perf_counter() - t) * 1000)

    blas = 'oneDNN' if torch.backends.mkldnn.is_available() else 'no oneDNN'
    isa = torch.backends.cpu.get_cpu_capability()
    print_result(variant, f'PyTorch {torch.__version__} ({blas}, {isa}), {job["threads"]} threads', setup_ms, step_ms, losses)


if __name__ == '__main__':
    main()
