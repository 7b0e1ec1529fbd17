#!/usr/bin/python3
"""PyTorch reference timings of one D step and one G step, for the `bench-step` command.

The networks are the model engineer's torch re-creation of the original (make_model_fixtures.py,
imported, not copied); the losses and updates are those of org.spadeanime.train.Trainer:
  D step: fake = G(label, cond) under no_grad; hinge on D(real), D(fake); R1 on the real images
          (torch.autograd.grad with create_graph of the per-sample patch-mean logit, coefficient 10,
          i.e. 5 * mean_b ||dDbar_b/dx_b||^2; the sum form costs the same);
          backward; Adam(beta1 0, beta2 0.9) step.
  G step: D's parameters frozen; fake = G(label, cond); -mean D(fake) + 10 * feature matching
          (mean over D's 5 features of mean |real - fake|); backward; Adam step.
Both networks in training mode (batch norm statistics, one spectral-norm power iteration per
forward), noise injection on. Batches are random and made before the clock starts.

Prints one JSON line: {"config": ..., "threads": ..., "d_ms": [...], "g_ms": [...], "rss_mb": ...}.
Run: /usr/bin/python3 lib/src/test/python/bench_step.py --resolution 64 --ngf 8 --ndf 8
     --spade-ch 8 --batch 4 --threads 2 --warmup 20 --steps 50
"""
import argparse
import json
import os
import pathlib
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_model_fixtures as mf  # noqa: E402


def options(a):
    return {"resolution": a.resolution, "numClasses": 4, "ngf": a.ngf, "ndf": a.ndf, "spadeCh": a.spade_ch,
            "divisionCh": 8, "asppNf": 128, "spectralNorm": True, "noise": True, "colorMapping": True,
            "mappingNetwork": "CONSTANT_FCN", "upsampling": "BILINEAR"}


def batch(o, b, gen):
    r, c = o["resolution"], o["numClasses"]
    cls = torch.randint(0, c + 1, (b, r, r), generator=gen, device="cpu")
    label = F.one_hot(cls, c + 1)[..., :c].permute(0, 3, 1, 2).float()
    return (label, torch.rand(b, 3, r, r, generator=gen, device="cpu"),
            torch.rand(b, 3, r, r, generator=gen, device="cpu") * 2 - 1)


def d_step(G, D, opt_d, label, cond, real):
    with torch.no_grad():
        fake = G(label, cond)
    x = real.detach().requires_grad_(True)
    real_logits = D(label, x, cond)[0]
    fake_logits = D(label, fake, cond)[0]
    adv = 0.5 * (F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean())
    g, = torch.autograd.grad([real_logits.flatten(1).mean(1).sum()], [x], create_graph=True)
    loss = adv + 5.0 * g.pow(2).flatten(1).sum(1).mean()
    opt_d.zero_grad(set_to_none=False)
    loss.backward()
    opt_d.step()


def g_step(G, D, opt_g, label, cond, real):
    for p in D.parameters():
        p.requires_grad_(False)
    fake = G(label, cond)
    out_fake = D(label, fake, cond)
    out_real = D(label, real, cond)
    fm = sum((f - r.detach()).abs().mean() for r, f in zip(out_real[1:], out_fake[1:])) / 5
    loss = -out_fake[0].mean() + 10.0 * fm
    opt_g.zero_grad(set_to_none=False)
    loss.backward()
    for p in D.parameters():
        p.requires_grad_(True)
    opt_g.step()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--resolution", type=int, default=64)
    ap.add_argument("--ngf", type=int, default=8)
    ap.add_argument("--ndf", type=int, default=8)
    ap.add_argument("--spade-ch", type=int, default=8)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda (reference GPU timings; torch >= 2.0)")
    a = ap.parse_args()
    cuda = a.device.startswith("cuda")
    if cuda:
        torch.set_default_device(a.device)  # the reference networks create their constants on it too
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    mf.NOISE = lambda shape: torch.randn(shape)
    o = options(a)
    G, D = mf.SpadeGenerator(o).train(), mf.PatchDiscriminator(o).train()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.0, 0.9))
    gen = torch.Generator(device="cpu").manual_seed(3)
    d_ms, g_ms = [], []
    for i in range(a.warmup + a.steps):
        b = [t.to(a.device) for t in batch(o, a.batch, gen)]
        sync()
        t0 = time.perf_counter()
        d_step(G, D, opt_d, *b)
        sync()
        t1 = time.perf_counter()
        b = [t.to(a.device) for t in batch(o, a.batch, gen)]
        sync()
        t2 = time.perf_counter()
        g_step(G, D, opt_g, *b)
        sync()
        t3 = time.perf_counter()
        if i >= a.warmup:
            d_ms.append((t1 - t0) * 1e3)
            g_ms.append((t3 - t2) * 1e3)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"config": o, "batch": a.batch, "threads": a.threads, "torch": torch.__version__, "device": a.device,
                      "d_ms": d_ms, "g_ms": g_ms, "rss_mb": rss}))


if __name__ == "__main__":
    main()
