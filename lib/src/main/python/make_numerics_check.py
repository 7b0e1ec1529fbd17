#!/usr/bin/python3
"""Writes the fixture of org.spadeanime.NumericsCheck, the kit's start-up self-check of libtorch.

Each check is one op the kit trains with, in the shapes that exposed wrong numbers on a CPU
(oneDNN 3.7.1's blocked-layout kernels read stale channel padding when a channel count is not a
multiple of 8 or 16): float32 inputs, and float64 references computed by torch from those same
float32 values. The Java side runs the op in float32 after poisoning the freed heap with NaN and
compares every output and gradient against the reference (relative to its largest entry).

  conv_head     3x3 conv 16 -> 1 channel (the patch discriminator's logits): y, dx, dw
  conv_down     4x4 stride-2 conv 10 -> 6 (a discriminator down-sampling): y, dx, dw
  conv_dilated  3x3 conv at dilation 3, 3 -> 6 (an ASPP branch): y, dx, dw
  conv_fuse     3x3 conv 24 -> 8 (ASPP's fusing conv on 4 concatenated branches): y, dx, dw
  batch_norm    training-mode batch norm, eps 2e-5 (Chainer's): y, dx, dgamma, dbeta
  resize        bilinear with aligned corners 5x7 -> 8x12 (as the kit's two matrix products) and
                nearest 4x4 -> 8x8 (libtorch's kernel): y and dx of each
  attention     softmax(q^T k) over the query axis and v . attention (self-attention): o, dq, dk, dv
  r1            R1 through the kit's TorchScript module (gradient_penalty_r1.pt) on a small D (conv, leaky ReLU, conv,
                batch norm, leaky ReLU, conv to 1 channel): the penalty and every weight's gradient

Run with Debian's torch:  /usr/bin/python3 lib/src/main/python/make_numerics_check.py
The output (~150 KB) is committed; rerun only when the checks change.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    '..', 'resources', 'org', 'spadeanime', 'numerics-check.npz'))
GEN = torch.Generator().manual_seed(2026)
arrays = {}


def f32(*shape, scale=1.0):
    return (torch.randn(*shape, generator=GEN, dtype=torch.float64) * scale).float()


def store(prefix, **named):
    for k, v in named.items():
        arrays[prefix + '.' + k] = v.detach().numpy().astype(np.float32)


def with_grads(fn, inputs, r):
    """fn on float64 copies of the float32 inputs; returns (output, grads of sum(output * r))."""
    xs = [v.double().requires_grad_(True) for v in inputs]
    y = fn(*xs)
    grads = torch.autograd.grad((y * r.double()).sum(), xs)
    return y, grads


def conv(name, n, cin, cout, h, k, stride, pad, dil):
    x, w = f32(n, cin, h, h), f32(cout, cin, k, k, scale=(2.0 / (cin * k * k)) ** 0.5)
    out = (h + 2 * pad - dil * (k - 1) - 1) // stride + 1
    r = f32(n, cout, out, out)
    y, (dx, dw) = with_grads(lambda a, b: F.conv2d(a, b, None, stride, pad, dil), [x, w], r)
    store(name, x=x, w=w, r=r, y=y, dx=dx, dw=dw)
    arrays[name + '.geometry'] = np.array([stride, pad, dil], dtype=np.float32)


def batch_norm():
    x, gamma, beta = f32(2, 6, 8, 8, scale=2.0) + 0.5, 1 + f32(6, scale=0.1), f32(6, scale=0.1)
    r = f32(2, 6, 8, 8)
    y, (dx, dg, db) = with_grads(
        lambda a, g, b: F.batch_norm(a, None, None, g, b, training=True, eps=2e-5), [x, gamma, beta], r)
    store('batch_norm', x=x, gamma=gamma, beta=beta, r=r, y=y, dx=dx, dgamma=dg, dbeta=db)


def aligned_corners(n_in, n_out):
    """The (out, in) matrix of aligned-corner bilinear interpolation (rows: two weights each)."""
    a = torch.zeros(n_out, n_in, dtype=torch.float64)
    for i in range(n_out):
        src = i * (n_in - 1) / (n_out - 1)
        i0 = min(int(src), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        a[i, i0] += 1 - (src - i0)
        a[i, i1] += src - i0
    return a.float()


def resize():
    # The kit resizes bilinearly as two matrix products, A_h . x . A_w^T (Resize.bilinear); the
    # matrices are stored and the reference is torch's own interpolation.
    x = f32(2, 3, 5, 7)
    r = f32(2, 3, 8, 12)
    y, (dx,) = with_grads(lambda a: F.interpolate(a, size=(8, 12), mode='bilinear', align_corners=True), [x], r)
    store('resize_bilinear', x=x, r=r, y=y, dx=dx, ah=aligned_corners(5, 8), aw=aligned_corners(7, 12))
    x = f32(2, 3, 4, 4)
    r = f32(2, 3, 8, 8)
    y, (dx,) = with_grads(lambda a: F.interpolate(a, size=(8, 8), mode='nearest'), [x], r)
    store('resize_nearest', x=x, r=r, y=y, dx=dx)


def attention():
    q, k, v = f32(2, 4, 16), f32(2, 4, 16), f32(2, 8, 16)
    r = f32(2, 8, 16)
    o, (dq, dk, dv) = with_grads(lambda a, b, c: c.matmul(a.transpose(1, 2).matmul(b).softmax(1)), [q, k, v], r)
    store('attention', q=q, k=k, v=v, r=r, o=o, dq=dq, dk=dk, dv=dv)


def small_d(x, w1, w2, w3, gamma, beta):
    h = F.leaky_relu(F.conv2d(x, w1, None, 2, 1), 0.2)
    h = F.conv2d(h, w2, None, 2, 1)
    h = F.leaky_relu(F.batch_norm(h, None, None, gamma, beta, training=True, eps=2e-5), 0.2)
    return F.conv2d(h, w3, None, 1, 1)


def r1():
    x = f32(2, 10, 8, 8)
    params = dict(w1=f32(8, 10, 4, 4, scale=0.15), w2=f32(16, 8, 4, 4, scale=0.15), w3=f32(1, 16, 3, 3, scale=0.15),
                  gamma=1 + f32(16, scale=0.1), beta=f32(16, scale=0.1))
    xd = x.double().requires_grad_(True)
    pd = {k: v.double().requires_grad_(True) for k, v in params.items()}
    logits = small_d(xd, **pd)
    g, = torch.autograd.grad(logits.flatten(1).mean(1).sum(), xd, create_graph=True)
    penalty = g.pow(2).flatten(1).sum(1).mean()
    grads = torch.autograd.grad(penalty, list(pd.values()))
    store('r1', x=x, penalty=penalty.reshape(1), **params,
          **{'d' + k: v for k, v in zip(pd.keys(), grads)})


def main():
    conv('conv_head', 2, 16, 1, 4, 3, 1, 1, 1)
    conv('conv_down', 2, 10, 6, 8, 4, 2, 1, 1)
    conv('conv_dilated', 2, 3, 6, 10, 3, 1, 3, 3)
    conv('conv_fuse', 2, 24, 8, 8, 3, 1, 1, 1)
    batch_norm()
    resize()
    attention()
    r1()
    np.savez_compressed(OUT, **arrays)
    print('wrote', OUT, os.path.getsize(OUT), 'bytes,', len(arrays), 'arrays')


if __name__ == '__main__':
    main()
