#!/usr/bin/python3
"""PyTorch reference of one neural-style step, for bench/speed/run.ts: exactly the work of the project's backends.

VGG19 (Keras weights file, read the way Keras reads it) up to the deepest layer used, Keras "caffe"
preprocessing, style terms weight * mean((Gram - target)^2) with Gram = F^T F / (H*W), content terms
weight * mean((F - target)^2), total variation weight * sum |neighbour differences|, and the gradient of the
total with respect to the image by autograd (weights are constants: no weight gradients are computed).

Reads a JSON job on stdin (see bench/speed/protocol.ts), writes one JSON result line on stdout.
Run it with Debian's /usr/bin/python3 and python3-torch; libopenblas0-pthread makes it use OpenBLAS.
"""
import json
import re
import resource
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]
BLOCKS = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)]
LAYERS = [(f'block{b + 1}_conv{c}', c == n) for b, (_, n) in enumerate(BLOCKS) for c in range(1, n + 1)]


def load_weights(path, names):
    """Kernel (HWIO in the file, OIHW for torch) and bias per layer, following layer_names/weight_names."""
    out = {}
    with h5py.File(path, 'r') as f:
        for name in names:
            group = f[name]
            kernel_name, bias_name = [n.decode() if isinstance(n, bytes) else n for n in group.attrs['weight_names']]
            kernel = np.asarray(group[kernel_name], dtype=np.float32)
            out[name] = (torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))),
                         torch.from_numpy(np.asarray(group[bias_name], dtype=np.float32)))
    return out


def read_image(path, size):
    """Raw float32 HWC RGB in [0, 1] -> [1, 3, H, W]."""
    hwc = np.fromfile(path, dtype=np.float32).reshape(size, size, 3)
    return torch.from_numpy(np.ascontiguousarray(hwc.transpose(2, 0, 1)))[None]


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
    f = a.reshape(c, -1)
    return f @ f.t() / f.shape[1]


def total_variation(x):
    return (x[:, :, 1:, :] - x[:, :, :-1, :]).abs().sum() + (x[:, :, :, 1:] - x[:, :, :, :-1]).abs().sum()


def blas_in_use():
    """Which BLAS the process loaded (Debian's libblas.so.3 is whichever alternative is installed)."""
    libs = {line.split()[-1].split('/')[-1] for line in open('/proc/self/maps') if 'blas' in line.lower()}
    openblas = sorted(lib for lib in libs if lib.startswith('libopenblas'))
    if openblas:
        version = re.search(r'-r([0-9.]+[0-9])', openblas[0])
        return f'OpenBLAS {version.group(1) if version else ""}'.strip()
    return 'reference BLAS' if libs else 'no BLAS loaded'


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job['threads'])
    problem = job['problem']
    size = job['size']
    style_layers = [s['layer'] for s in problem['style']]
    content_layers = [c['layer'] for c in problem['content']]
    deepest = max(i for i, (n, _) in enumerate(LAYERS) if n in style_layers + content_layers)
    layers = LAYERS[:deepest + 1]

    t0 = time.perf_counter()
    weights = load_weights(job['weights'], [n for n, _ in layers])
    with torch.no_grad():
        style_acts = forward(preprocess(read_image(job['images']['style'], size)), layers, weights)
        content_acts = forward(preprocess(read_image(job['images']['content'], size)), layers, weights)
        grams = {s: gram(style_acts[s]) for s in style_layers}
        features = {c: content_acts[c] for c in content_layers}
    del style_acts, content_acts
    image = read_image(job['images']['start'], size)
    setup_ms = (time.perf_counter() - t0) * 1000

    def step():
        x = image.clone().requires_grad_(True)
        acts = forward(preprocess(x), layers, weights)
        style = sum(s['weight'] * ((gram(acts[s['layer']]) - grams[s['layer']]) ** 2).mean() for s in problem['style'])
        content = sum(c['weight'] * ((acts[c['layer']] - features[c['layer']]) ** 2).mean() for c in problem['content'])
        tv = problem['tvWeight'] * total_variation(x)
        total = style + content + tv
        total.backward()
        return {'total': total.item(), 'style': style.item(), 'content': content.item(), 'tv': tv.item()}

    step_ms, losses = [], None
    for i in range(job['warmup'] + job['steps']):
        t = time.perf_counter()
        out = step()
        if i == 0:
            losses = out
        if i >= job['warmup']:
            step_ms.append((time.perf_counter() - t) * 1000)

    print(json.dumps({
        'engine': 'pytorch',
        'detail': f'PyTorch {torch.__version__}, {job["threads"]} threads, {blas_in_use()}',
        'setupMs': setup_ms,
        'stepMs': step_ms,
        'losses': losses,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()
