#!/usr/bin/python3
"""Golden fixtures for the Java model blocks (org.spadeanime.model), built with PyTorch.

Re-creates every block of the original (pit-ray's SPADE pix2pix for Anime, Chainer) in PyTorch
with the layer order of ../../../../shared/seed-reference.md (the project's seed reference), and
the same decisions as the Java code:
  - spectral norm: torch.nn.utils.spectral_norm (one power iteration per training forward,
    persistent u and v, eps 1e-12; inference reuses the stored u, v),
  - batch norm: eps 2e-5 (Chainer's default), momentum 0.1 (Chainer's decay 0.9); SPADE's without
    affine,
  - resizing: bilinear with align_corners=True (Chainer's resize_images default); nearest for the
    NONE mapping network; SPADE resizes the mapping features itself, in every layer, as the
    original does (the Java generator resizes once per size: the values must be the same),
  - leaky ReLU 0.2; noise x + scale * N(0, 1) of shape (B, 1, H, W) drawn in the order shortcut,
    noise1, noise2 (fixtures record every draw).
Parameters are randomised (noise scales, attention gamma, BN statistics non-zero) so that every
term matters. Each case is one .npz under lib/src/test/resources/fixtures/model/ with entries
  param.<java path>   parameter values before the forward (Java dotted paths),
  in.<name>           inputs, noise.<i> noise draws in order,
  out.<name>          training-mode outputs, after.<java path> u/v after the training forwards,
  eval.<name>         inference-mode outputs after them, grad.<name> gradients,
and index.json lists the cases and the model options of the generator/discriminator cases.

Run from the repository root:  /usr/bin/python3 lib/src/test/python/make_model_fixtures.py
Deterministic (fixed seeds); torch 1.13 (Debian python3-torch) wrote the committed files.

With --bench [THREADS] it writes nothing and prints the median training-mode forward times of the
same networks in PyTorch for the presets of the Java `bench-forward` command (the reference for
its numbers).
"""
import json
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "model"
SLOPE = 0.2
BN_EPS = 2e-5
BN_MOMENTUM = 0.1
HEAD_SIZE = 4
# What the convolutions built from now on pad with (ModelOptions.Padding): "zeros", or "reflect" for
# the generatorPadding = REFLECT cases (torch's own padding_mode, the reference for the Java gather).
PADDING = "zeros"


def lrelu(x):
    return F.leaky_relu(x, SLOPE)


def resize(x, size, mode="bilinear"):
    if tuple(x.shape[2:]) == tuple(size):
        return x
    if mode == "nearest":
        return F.interpolate(x, size=size, mode="nearest")
    return F.interpolate(x, size=size, mode="bilinear", align_corners=True)


class Noise:
    """Gaussian draws, each recorded so the Java side can replay them."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)
        self.draws = []

    def __call__(self, shape):
        n = torch.randn(shape, generator=self.gen)
        self.draws.append(n.clone())
        return n


class PatternNoise:
    """Deterministic stand-in noise for the whole-network cases (recorded draws would take most of
    the fixture budget): draw i at (b, 0, y, x) is 1.5·sin(0.7x + 1.3y + 2.1b + 0.37(i+1)),
    computed in double and rounded to float32; ModelFixtures.patternNoise in Java is the same."""

    def __init__(self):
        self.draws = []  # not saved

    def __call__(self, shape):
        i = len(self.draws)
        b, _, h, w = shape
        bb, yy, xx = np.meshgrid(np.arange(b), np.arange(h), np.arange(w), indexing="ij")
        v = 1.5 * np.sin(0.7 * xx + 1.3 * yy + 2.1 * bb + 0.37 * (i + 1))
        self.draws.append(None)
        return torch.from_numpy(v.astype(np.float32)).reshape(b, 1, h, w)


NOISE = None  # the active Noise, set per case


# ---- blocks (names of modules = Java child names) --------------------------------------------

class Conv(nn.Module):
    """SpectralConv2d."""

    def __init__(self, cin, cout, k, stride=1, pad=None, dil=1, bias=True, sn=True):
        super().__init__()
        conv = nn.Conv2d(cin, cout, k, stride, k // 2 if pad is None else pad, dil, bias=bias,
                         padding_mode=PADDING)
        self.sn = sn
        self.conv = nn.utils.spectral_norm(conv, eps=1e-12) if sn else conv

    def forward(self, x):
        return self.conv(x)

    def export(self):
        c = self.conv
        d = {"weight": c.weight_orig if self.sn else c.weight}
        if c.bias is not None:
            d["bias"] = c.bias
        if self.sn:
            d["u"] = c.weight_u
            d["v"] = c.weight_v
        return d


class BN(nn.Module):
    """DJL BatchNorm (a non-affine one still has fixed gamma = 1, beta = 0)."""

    def __init__(self, ch, affine):
        super().__init__()
        self.bn = nn.BatchNorm2d(ch, eps=BN_EPS, momentum=BN_MOMENTUM, affine=affine)

    def forward(self, x):
        return self.bn(x)

    def export(self):
        b = self.bn
        ch = b.running_mean.shape[0]
        return {
            "gamma": b.weight if b.affine else torch.ones(ch),
            "beta": b.bias if b.affine else torch.zeros(ch),
            "runningMean": b.running_mean,
            "runningVar": b.running_var,
        }


class NoiseInjection(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.scale = nn.Parameter(torch.zeros(1, ch, 1, 1))

    def forward(self, x):
        b, _, h, w = x.shape
        return x + self.scale * NOISE((b, 1, h, w))

    def export(self):
        return {"scale": self.scale}


class ConstantFcn(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        widths = [cin, cout // 8, cout // 4, cout // 2, cout]
        for i, d in enumerate([1, 1, 2, 4]):
            setattr(self, f"conv{i + 1}", Conv(widths[i], widths[i + 1], 3, pad=d, dil=d, sn=False))

    def forward(self, x):
        for i in range(4):
            x = lrelu(getattr(self, f"conv{i + 1}")(x))
        return x


class Aspp(nn.Module):
    NAMES = ["x1", "x3_small", "x3_middle", "x3_large"]

    def __init__(self, cin, cout, nf, resolution, sn):
        super().__init__()
        rates = [max(1, round(r * resolution / 65)) for r in (6, 12, 18)]
        self.x1 = Conv(cin, nf, 1, sn=sn)
        self.x1_bn = BN(nf, True)
        for name, r in zip(self.NAMES[1:], rates):
            setattr(self, name, Conv(cin, nf, 3, pad=r, dil=r, sn=sn))
            setattr(self, name + "_bn", BN(nf, True))
        self.sum_func = Conv(4 * nf, cout, 3, sn=sn)

    def forward(self, x):
        parts = [lrelu(getattr(self, n + "_bn")(getattr(self, n)(x))) for n in self.NAMES]
        return lrelu(self.sum_func(torch.cat(parts, 1)))


class Spade(nn.Module):
    def __init__(self, ch, map_ch, mode="bilinear"):
        super().__init__()
        self.mode = mode
        self.norm = BN(ch, False)
        self.gamma = Conv(map_ch, ch, 3, sn=False)
        self.beta = Conv(map_ch, ch, 3, sn=False)

    def forward(self, x, w):
        w = resize(w, x.shape[2:], self.mode)
        return self.norm(x) * (1 + self.gamma(w)) + self.beta(w)


class SpadeResBlock(nn.Module):
    def __init__(self, cin, cout, map_ch, map2_ch=0, noise=True, sn=True, mode="bilinear"):
        super().__init__()
        self.second = map2_ch > 0
        self.noise = noise
        if noise:
            self.noise1 = NoiseInjection(cin)
        self.norm1 = Spade(cin, map2_ch if self.second else map_ch, mode)
        self.conv1 = Conv(cin, cout, 3, sn=sn)
        if noise:
            self.noise2 = NoiseInjection(cout)
        self.norm2 = Spade(cout, map_ch, mode)
        self.conv2 = Conv(cout, cout, 3, sn=sn)
        self.learned_shortcut = cin != cout
        if self.learned_shortcut:
            if noise:
                self.shortcut_noise = NoiseInjection(cin)
            self.shortcut_norm = Spade(cin, map_ch, mode)
            self.shortcut_conv = Conv(cin, cout, 1, bias=False, sn=sn)

    def forward(self, x, w1, w2=None):
        s = x
        if self.learned_shortcut:
            s = self.shortcut_noise(x) if self.noise else x
            s = self.shortcut_conv(lrelu(self.shortcut_norm(s, w1)))
        h = self.noise1(x) if self.noise else x
        h = self.conv1(lrelu(self.norm1(h, w2 if self.second else w1)))
        h = self.noise2(h) if self.noise else h
        h = self.conv2(lrelu(self.norm2(h, w1)))
        return h + s


class Upsample(nn.Module):
    def __init__(self, mode, ch, sn):
        super().__init__()
        self.mode = mode
        if mode == "SUBPIXEL":
            self.conv = Conv(ch, 4 * ch, 3, sn=sn)

    def forward(self, x):
        size = (x.shape[2] * 2, x.shape[3] * 2)
        if self.mode == "BILINEAR":
            return resize(x, size)
        if self.mode == "NEAREST":
            return resize(x, size, "nearest")
        return F.pixel_shuffle(self.conv(x), 2)


class SelfAttention(nn.Module):
    def __init__(self, ch, division, sn):
        super().__init__()
        mid = ch // division
        self.f_conv = Conv(ch, mid, 1, sn=sn)
        self.g_conv = Conv(ch, mid, 1, sn=sn)
        self.h_conv = Conv(ch, mid, 1, sn=sn)
        self.v_conv = Conv(mid, ch, 1, sn=sn)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        b, c, hh, ww = x.shape
        q = self.f_conv(x).reshape(b, -1, hh * ww)
        k = self.g_conv(x).reshape(b, -1, hh * ww)
        a = torch.softmax(torch.bmm(q.transpose(1, 2), k), dim=1)
        v = self.h_conv(x).reshape(b, -1, hh * ww)
        o = self.v_conv(torch.bmm(v, a).reshape(b, -1, hh, ww))
        return self.gamma * o + x

    def export(self):
        return {"gamma": self.gamma}


class DiscriminatorResBlock(nn.Module):
    def __init__(self, cin, cout, sn):
        super().__init__()
        self.norm1 = BN(cin, True)
        self.conv1 = Conv(cin, cout, 3, sn=sn)
        self.norm2 = BN(cout, True)
        self.conv2 = Conv(cout, cout, 3, sn=sn)
        self.learned_shortcut = cin != cout
        if self.learned_shortcut:
            self.shortcut_norm = BN(cin, True)
            self.shortcut_conv = Conv(cin, cout, 3, sn=sn)

    def forward(self, x):
        s = self.shortcut_conv(lrelu(self.shortcut_norm(x))) if self.learned_shortcut else x
        h = self.conv1(lrelu(lrelu(self.norm1(x))))
        h = self.conv2(lrelu(self.norm2(h)))
        return h + s


# ---- networks ------------------------------------------------------------------------------

def num_blocks(o):
    return int(math.log2(o["resolution"] // HEAD_SIZE)) + 1


def block_out(o, i):
    from_end = num_blocks(o) - 1 - i
    return 8 * o["ngf"] if from_end >= 4 else (8 * o["ngf"]) >> (4 - from_end)


class SpadeGenerator(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.o = o
        mapping = o["mappingNetwork"]
        none = mapping == "NONE"
        map_ch = o["numClasses"] if none else o["spadeCh"]
        map2_ch = 3 if none else o["spadeCh"]

        def mapping_net(cin):
            if mapping == "CONSTANT_FCN":
                return ConstantFcn(cin, o["spadeCh"])
            return Aspp(cin, o["spadeCh"], o["asppNf"], o["resolution"], o["spectralNorm"])

        if not none:
            self.w1 = mapping_net(o["numClasses"])
            if o["colorMapping"]:
                self.w2 = mapping_net(3)
        self.mode = "nearest" if none else "bilinear"
        self.head = Conv(o["numClasses"], 8 * o["ngf"], 3, sn=o["spectralNorm"])
        n = num_blocks(o)
        self.n = n
        for i in range(n):
            cin = 8 * o["ngf"] if i == 0 else block_out(o, i - 1)
            second = o["colorMapping"] and i >= n - 2
            setattr(self, f"r{i + 1}", SpadeResBlock(cin, block_out(o, i), map_ch,
                                                     map2_ch if second else 0, o["noise"],
                                                     o["spectralNorm"], self.mode))
            if i < n - 1:
                setattr(self, f"up{i + 1}", Upsample(o["upsampling"], block_out(o, i), o["spectralNorm"]))
        self.to_img = Conv(block_out(o, n - 1), 3, 3, sn=False)

    def forward(self, label, condition):
        w1 = self.w1(label) if hasattr(self, "w1") else label
        w2 = None
        if self.o["colorMapping"]:
            w2 = self.w2(condition) if hasattr(self, "w2") else condition
        h = self.head(resize(label, (HEAD_SIZE, HEAD_SIZE)))
        for i in range(self.n):
            block = getattr(self, f"r{i + 1}")
            h = block(h, w1, w2) if block.second else block(h, w1)
            if i < self.n - 1:
                h = getattr(self, f"up{i + 1}")(h)
        return torch.tanh(self.to_img(lrelu(h)))


class PatchDiscriminator(nn.Module):
    def __init__(self, o):
        super().__init__()
        ndf, sn = o["ndf"], o["spectralNorm"]
        self.c1 = Conv(o["numClasses"] + 6, ndf, 4, 2, 1, sn=sn)
        self.c2 = Conv(ndf, 2 * ndf, 4, 2, 1, sn=sn)
        self.n2 = BN(2 * ndf, True)
        self.c3 = Conv(2 * ndf, 4 * ndf, 4, 2, 1, sn=sn)
        self.att = SelfAttention(4 * ndf, o["divisionCh"], sn)
        self.n3 = BN(4 * ndf, True)
        self.c4 = Conv(4 * ndf, 8 * ndf, 4, 1, 1, sn=sn)
        self.n4 = BN(8 * ndf, True)
        self.head = Conv(8 * ndf, 8 * ndf, 4, 1, 1, sn=sn)
        for i in range(3):
            setattr(self, f"r{i + 1}", DiscriminatorResBlock((8 * ndf) >> i, (4 * ndf) >> i, sn))
        self.to_patch = Conv(ndf, 1, 3, sn=sn)

    def forward(self, label, image, condition):
        h = torch.cat([label, image, condition], 1)
        f1 = lrelu(self.c1(h))
        f2 = lrelu(self.n2(self.c2(f1)))
        f3 = lrelu(self.n3(self.att(self.c3(f2))))
        f4 = lrelu(self.n4(self.c4(f3)))
        h = self.head(f4)
        h = self.r3(self.r2(self.r1(h)))
        f5 = lrelu(h)
        return [self.to_patch(f5), f1, f2, f3, f4, f5]


# ---- export --------------------------------------------------------------------------------

def java_params(module, prefix=""):
    """Parameters by Java dotted path."""
    out = {}
    if hasattr(module, "export"):
        for k, v in module.export().items():
            out[prefix + k] = v
    for name, child in module.named_children():
        if isinstance(module, Conv) or isinstance(module, BN):
            continue  # their wrapped torch module is exported by the wrapper
        out.update(java_params(child, prefix + name + "."))
    return out


def randomise(module, gen):
    """Non-trivial values everywhere: noise scales, attention gamma, BN affine and statistics."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, NoiseInjection):
                m.scale.copy_(torch.rand(m.scale.shape, generator=gen) * 0.8 + 0.2)
            elif isinstance(m, SelfAttention):
                m.gamma.fill_(0.7)
            elif isinstance(m, nn.BatchNorm2d):
                ch = m.running_mean.shape[0]
                m.running_mean.copy_(torch.randn(ch, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(ch, generator=gen) + 0.5)
                if m.affine:
                    m.weight.copy_(torch.rand(ch, generator=gen) + 0.5)
                    m.bias.copy_(torch.randn(ch, generator=gen) * 0.1)


def one_hot_label(b, classes, size, gen):
    """A blocky random label map: one class (or background) per 4×4 cell."""
    cells = torch.randint(0, classes + 1, (b, size // 4, size // 4), generator=gen)
    cells = cells.repeat_interleave(4, 1).repeat_interleave(4, 2)
    return torch.stack([(cells == c).float() for c in range(classes)], 1)


def np32(t):
    return t.detach().cpu().numpy().astype(np.float32)


class Case:
    def __init__(self, name):
        self.name = name
        self.arrays = {}

    def params(self, module, prefix="param."):
        for k, v in java_params(module).items():
            self.arrays[prefix + k] = np32(v)

    def put(self, key, t):
        self.arrays[key] = np32(t)

    def save(self):
        if isinstance(NOISE, Noise):
            for i, n in enumerate(NOISE.draws):
                self.arrays[f"noise.{i}"] = np32(n)
        path = OUT / f"{self.name}.npz"
        if path.exists():  # keep an unchanged file byte for byte (zip entries carry the write time)
            with np.load(path) as old:
                if set(old.files) == set(self.arrays) and all(
                        np.array_equal(old[k], v) for k, v in self.arrays.items()):
                    return
        np.savez_compressed(path, **self.arrays)


def run_case(name, module, inputs, forwards=2, evaluate=True, save_inputs=True):
    """Generic case: params, inputs, `forwards` training forwards (the last one recorded), u/v and
    BN statistics after them, and an inference forward."""
    c = Case(name)
    c.params(module)
    if save_inputs:
        for k, v in inputs.items():
            c.put("in." + k, v)
    module.train()
    outs = None
    for _ in range(forwards):
        outs = module(*inputs.values())
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    for i, o in enumerate(outs):
        c.put(f"out.{i}", o)
    for k, v in java_params(module).items():
        if k.endswith(".u") or k.endswith(".v") or k in ("u", "v") or "running" in k:
            c.put("after." + k, v)
    if evaluate:
        module.eval()
        with torch.no_grad():
            ev = module(*inputs.values())
        ev = ev if isinstance(ev, (list, tuple)) else [ev]
        for i, o in enumerate(ev):
            c.put(f"eval.{i}", o)
    return c, outs


def main():
    global NOISE
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    index = {"torch": torch.__version__, "cases": {}}

    def record(name, description, **extra):
        index["cases"][name] = dict(description=description, **extra)

    # SpectralConv2d: three geometries, u/v after two training forwards, gradients.
    for name, args in {
        "spectral_conv_3x3": dict(cin=5, cout=7, k=3, stride=1, pad=1, dil=1, bias=True),
        "spectral_conv_4x4_s2": dict(cin=6, cout=4, k=4, stride=2, pad=1, dil=1, bias=False),
        "spectral_conv_atrous": dict(cin=3, cout=8, k=3, stride=1, pad=2, dil=2, bias=True),
    }.items():
        NOISE = None
        m = Conv(args["cin"], args["cout"], args["k"], args["stride"], args["pad"], args["dil"],
                 args["bias"], sn=True)
        x = torch.randn(2, args["cin"], 9, 8, generator=gen)
        c, outs = run_case(name, m, {"x": x})
        r = torch.randn(outs[0].shape, generator=gen)
        m.train()
        m.zero_grad()
        (m(x) * r).sum().backward()  # a third forward: u, v move once more
        c.put("grad.r", r)
        c.put("grad.weight", m.conv.weight_orig.grad)
        if args["bias"]:
            c.put("grad.bias", m.conv.bias.grad)
        # Two forwards in one graph, one backward (D on real, then on fake): each forward's σ
        # uses the u, v of its own power iteration.
        m.zero_grad()
        x2 = torch.randn(x.shape, generator=gen)
        r2 = torch.randn(outs[0].shape, generator=gen)
        ((m(x) * r).sum() + (m(x2) * r2).sum()).backward()
        c.put("grad2.x2", x2)
        c.put("grad2.r2", r2)
        c.put("grad2.weight", m.conv.weight_orig.grad)
        c.save()
        record(name, "SpectralConv2d: 2 training forwards (u, v after), eval, the gradient of "
               "sum(out·r) on a third, then of sum(out(x)·r) + sum(out(x2)·r2) over two more "
               "forwards in one graph", **args)

    # ConstantFcn and Aspp.
    NOISE = None
    m = ConstantFcn(4, 16)
    c, _ = run_case("constant_fcn", m, {"x": torch.rand(2, 4, 12, 12, generator=gen)}, forwards=1)
    c.save()
    record("constant_fcn", "ConstantFcn(4 → 16)", cin=4, cout=16)

    m = Aspp(3, 8, 6, 16, True)
    randomise(m, gen)
    c, _ = run_case("aspp", m, {"x": torch.rand(2, 3, 16, 16, generator=gen)})
    c.save()
    record("aspp", "Aspp(3 → 8, nf 6, resolution 16, SN)", cin=3, cout=8, nf=6, resolution=16)

    # Spade: w resized from 16² to the 8×6 of x (down-sampling, non-square).
    m = Spade(6, 5)
    randomise(m, gen)
    c, _ = run_case("spade", m, {"x": torch.randn(2, 6, 8, 6, generator=gen),
                                 "w": torch.randn(2, 5, 16, 16, generator=gen)})
    c.save()
    record("spade", "Spade(6, map 5): x 8×6, w 16×16", ch=6, mapCh=5)

    # SelfAttention on a non-square map.
    m = SelfAttention(16, 4, True)
    randomise(m, gen)
    c, _ = run_case("self_attention", m, {"x": torch.randn(2, 16, 6, 5, generator=gen)})
    c.save()
    record("self_attention", "SelfAttention(16, division 4, SN), γ = 0.7", ch=16, divisionCh=4)

    # NoiseInjection with fixed noise.
    NOISE = Noise(7)
    m = NoiseInjection(5)
    randomise(m, gen)
    c, _ = run_case("noise_injection", m, {"x": torch.randn(2, 5, 7, 6, generator=gen)}, forwards=1)
    c.save()
    record("noise_injection", "NoiseInjection(5): one training forward and one eval forward, "
           "noise draws recorded", ch=5)

    # SpadeResBlock with and without the second mapping input (in ≠ out: learned shortcut).
    for name, map2 in (("spade_resblock_w2", 3), ("spade_resblock", 0)):
        NOISE = Noise(11)
        m = SpadeResBlock(8, 4, 6, map2, True, True)
        randomise(m, gen)
        inputs = {"x": torch.randn(2, 8, 8, 8, generator=gen), "w1": torch.randn(2, 6, 16, 16, generator=gen)}
        if map2:
            inputs["w2"] = torch.randn(2, 3, 16, 16, generator=gen)
        c, _ = run_case(name, m, inputs)
        c.save()
        record(name, "SpadeResBlock(8 → 4, map 6" + (", second map 3" if map2 else "") + ")",
               cin=8, cout=4, mapCh=6, secondMapCh=map2)

    # Up-sampling modes and the transposed-conv emulation.
    NOISE = None
    x = torch.randn(2, 3, 5, 4, generator=gen)
    c = Case("upsample")
    c.put("in.x", x)
    c.put("out.BILINEAR", Upsample("BILINEAR", 3, True)(x))
    c.put("out.NEAREST", Upsample("NEAREST", 3, True)(x))
    sub = Upsample("SUBPIXEL", 3, True)
    c.params(sub)
    c.put("out.SUBPIXEL", sub(x))
    # Resizes of the generator: the head's 4×4, mapping features down, odd sizes up.
    for (h, w) in ((4, 4), (3, 2), (9, 7), (16, 16)):
        c.put(f"resize.{h}x{w}", resize(x, (h, w)))
    tk = torch.randn(3, 6, 3, 3, generator=gen)  # ConvTranspose2d weight (in, out, k, k)
    c.put("deconv.weight", tk)
    c.put("deconv.out", F.conv_transpose2d(x, tk, stride=1, padding=1))
    c.save()
    record("upsample", "Upsample BILINEAR / NEAREST / SUBPIXEL(SN) on 5×4, bilinear resizes, "
           "stride-1 transposed conv")

    # DiscriminatorResBlock.
    m = DiscriminatorResBlock(8, 4, True)
    randomise(m, gen)
    c, _ = run_case("discriminator_resblock", m, {"x": torch.randn(2, 8, 6, 6, generator=gen)})
    c.save()
    record("discriminator_resblock", "DiscriminatorResBlock(8 → 4, SN)", cin=8, cout=4)

    # Whole networks: the tiny preset at ngf = ndf = 4 (64², 5 blocks), batch 1, one training
    # forward and one eval forward with pattern noise; ablation variants at ngf 2, training only.
    base = dict(resolution=64, numClasses=4, ngf=4, ndf=4, spadeCh=8, divisionCh=8, asppNf=8,
                spectralNorm=True, noise=True, colorMapping=True, mappingNetwork="CONSTANT_FCN",
                upsampling="BILINEAR")
    variants = {
        "generator": (base, True),
        "generator_aspp_subpixel": (dict(base, ngf=2, mappingNetwork="ASPP", upsampling="SUBPIXEL"), False),
        "generator_none_nearest": (dict(base, ngf=2, mappingNetwork="NONE", upsampling="NEAREST",
                                        noise=False, spectralNorm=False, colorMapping=False), False),
    }
    b, res = 1, base["resolution"]
    label = one_hot_label(b, base["numClasses"], res, gen)
    condition = torch.rand(b, 3, res, res, generator=gen) * label[:, 2:3]  # masked by hair
    image = torch.tanh(torch.randn(b, 3, res, res, generator=gen))
    c = Case("network_inputs")
    c.put("in.label", label)
    c.put("in.condition", condition)
    c.put("in.image", image)
    NOISE = None
    c.save()
    record("network_inputs", "label (one-hot, 4×4 cells), condition (colour map masked by hair), "
           "image: the inputs of the generator and discriminator cases")
    for name, (o, evaluate) in variants.items():
        NOISE = PatternNoise()
        g = SpadeGenerator(o)
        randomise(g, gen)
        c, outs = run_case(name, g, {"label": label, "condition": condition}, forwards=1,
                           evaluate=evaluate, save_inputs=False)
        c.save()
        record(name, "SpadeGenerator on network_inputs: one training forward"
               + (", then eval" if evaluate else "") + "; pattern noise", options=o, eval=evaluate)

    NOISE = None
    d = PatchDiscriminator(base)
    randomise(d, gen)
    c, outs = run_case("discriminator", d, {"label": label, "image": image, "condition": condition},
                       forwards=1, save_inputs=False)
    # Gradient of sum(logits · r) w.r.t. the image (what R1 needs), on a second training forward.
    r = torch.randn(outs[0].shape, generator=gen)
    d.train()
    img = image.clone().requires_grad_(True)
    (d(label, img, condition)[0] * r).sum().backward()
    c.put("grad.r", r)
    c.put("grad.image", img.grad)
    c.save()
    record("discriminator", "PatchDiscriminator on network_inputs: logits and features 1-5 of "
           "one training forward, eval, then the gradient of sum(logits·r) w.r.t. the image on a "
           "second training forward", options=base)

    # Trained-parameter counts of the paper() networks, per top-level block.
    paper = dict(base, resolution=256, ngf=64, ndf=64, spadeCh=32, asppNf=128)
    index["paper_parameters"] = {}
    for net in (SpadeGenerator(paper), PatchDiscriminator(paper)):
        counts = {name: sum(p.numel() for p in child.parameters()) for name, child in net.named_children()}
        counts["total"] = sum(p.numel() for p in net.parameters())
        index["paper_parameters"][type(net).__name__] = counts

    # Reflect padding (generatorPadding = REFLECT), last and with a generator of its own so that the
    # cases above keep their random numbers.
    global PADDING
    gen = torch.Generator().manual_seed(2026)
    PADDING = "reflect"
    NOISE = None
    args = dict(cin=3, cout=5, k=3, stride=1, pad=2, dil=2, bias=True)
    m = Conv(args["cin"], args["cout"], args["k"], args["stride"], args["pad"], args["dil"], args["bias"], sn=True)
    x = torch.randn(2, 3, 9, 8, generator=gen)
    c, outs = run_case("spectral_conv_reflect", m, {"x": x})
    r = torch.randn(outs[0].shape, generator=gen)
    m.train()
    m.zero_grad()
    xg = x.clone().requires_grad_(True)
    (m(xg) * r).sum().backward()
    c.put("grad.r", r)
    c.put("grad.weight", m.conv.weight_orig.grad)
    c.put("grad.bias", m.conv.bias.grad)
    c.put("grad.x", xg.grad)
    c.save()
    record("spectral_conv_reflect", "SpectralConv2d with reflect padding (atrous, rate 2, on 9×8): 2 training "
           "forwards, eval, then the weight, bias and input gradients of sum(out·r) on a third", padding="reflect",
           **args)
    o = dict(base, ngf=2, generatorPadding="REFLECT")
    NOISE = PatternNoise()
    g = SpadeGenerator(o)
    randomise(g, gen)
    c, outs = run_case("generator_reflect", g, {"label": label, "condition": condition}, forwards=1,
                       evaluate=True, save_inputs=False)
    c.save()
    record("generator_reflect", "SpadeGenerator with every convolution padding by reflection (ngf 2) on "
           "network_inputs: one training forward, then eval; pattern noise", options=o, eval=True)
    PADDING = "zeros"

    (OUT / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(index['cases'])} cases to {OUT} ({total / 1024:.0f} KiB)")


def bench(threads):
    """Median training-mode forward ms of G and D, as the Java bench-forward command measures."""
    global NOISE
    import time
    torch.set_num_threads(threads)
    NOISE = lambda shape: torch.randn(shape)
    tiny = dict(resolution=64, numClasses=4, ngf=8, ndf=8, spadeCh=8, divisionCh=8, asppNf=128,
                spectralNorm=True, noise=True, colorMapping=True, mappingNetwork="CONSTANT_FCN",
                upsampling="BILINEAR")
    mid = dict(tiny, resolution=128, ngf=32, ndf=32, spadeCh=32)
    print(f"torch {torch.__version__}, {threads} thread(s), batch 1, 10 warm-up + 30 timed, median ms")
    for name, o in (("tiny (64², ngf 8, ndf 8)", tiny), ("mid (128², ngf 32, ndf 32)", mid)):
        g, d = SpadeGenerator(o).train(), PatchDiscriminator(o).train()
        r = o["resolution"]
        label, cond, img = torch.rand(1, 4, r, r), torch.rand(1, 3, r, r), torch.rand(1, 3, r, r)
        times = {"G": [], "D": []}
        with torch.no_grad():  # as DJL outside a gradient collector: no graph
            for i in range(40):
                for key, fn in (("G", lambda: g(label, cond)), ("D", lambda: d(label, img, cond))):
                    t0 = time.perf_counter()
                    fn()
                    if i >= 10:
                        times[key].append((time.perf_counter() - t0) * 1000)
        print(f"{name:34s} G {np.median(times['G']):8.2f}  D {np.median(times['D']):8.2f}")


if __name__ == "__main__":
    if "--bench" in sys.argv:
        rest = sys.argv[sys.argv.index("--bench") + 1:]
        sys.exit(bench(int(rest[0]) if rest else 1))
    sys.exit(main())
