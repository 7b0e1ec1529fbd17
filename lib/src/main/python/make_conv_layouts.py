#!/usr/bin/python3
"""Writes the TorchScript module that org.spadeanime.train.ConvBenchmark (bench-conv) times.

DJL 0.36's PyTorch engine cannot make a bfloat16 tensor (NDArray.toType(BFLOAT16) aborts the JVM:
"terminate called without an active exception") and has no memory-format API, so the layouts a CPU
might run faster are set inside a scripted module, the way autocast and channels_last would in
PyTorch: forward(x, w, mode, dilation) casts / re-lays x and w, convolves with 'same' padding and
returns float32 NCHW, so the input and weight gradients reach DJL's collector as float32.

  mode 0: float32 NCHW (the kit's layout, the reference)   1: bfloat16 NCHW
       2: float32 channels-last                            3: bfloat16 channels-last

Run with Debian's torch (1.13 writes files that libtorch 2.7.1 reads):
  /usr/bin/python3 lib/src/main/python/make_conv_layouts.py
The output is committed; rerun only when the module changes.
"""
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   '..', 'resources', 'org', 'spadeanime', 'train', 'conv_layouts.pt')


class ConvLayouts(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, mode: torch.Tensor, dilation: torch.Tensor) -> torch.Tensor:
        m = int(mode.item())
        d = int(dilation.item())
        pad = d * (w.shape[2] - 1) // 2
        if m == 1 or m == 3:
            x = x.to(torch.bfloat16)
            w = w.to(torch.bfloat16)
        if m == 2 or m == 3:
            x = x.contiguous(memory_format=torch.channels_last)
            w = w.contiguous(memory_format=torch.channels_last)
        y = F.conv2d(x, w, None, [1, 1], [pad, pad], [d, d])
        return y.float().contiguous()


def main():
    path = os.path.normpath(OUT)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.jit.save(torch.jit.script(ConvLayouts()), path)
    # Self-check: every mode gives float32 NCHW close to F.conv2d, and gradients flow to x and w.
    loaded = torch.jit.load(path)
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16, 16, requires_grad=True)
    w = torch.randn(8, 5, 3, 3, requires_grad=True)
    ref = F.conv2d(x, w, None, 1, 2, 2)
    for mode in range(4):
        y = loaded(x, w, torch.tensor(mode), torch.tensor(2))
        assert y.dtype == torch.float32 and y.is_contiguous() and y.shape == ref.shape
        err = ((y - ref).abs().max() / ref.abs().max()).item()
        assert err < (2e-2 if mode in (1, 3) else 1e-5), (mode, err)
        gx, gw = torch.autograd.grad(y.sum(), [x, w])
        assert gx.shape == x.shape and gw.shape == w.shape
    print('wrote', path)


if __name__ == '__main__':
    main()
