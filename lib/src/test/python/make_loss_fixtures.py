#!/usr/bin/python3
"""Golden fixtures for the loss, optimizer and VGG tests (org.spadeanime.loss / optim).

Run with Debian's torch:  /usr/bin/python3 lib/src/test/python/make_loss_fixtures.py
Writes small .npz files (and a reduced-width VGG weights file) under
lib/src/test/resources/fixtures/loss/. Inputs and parameters are stored as float32 (the Java side
starts from the same bits); reference results are computed in float64 from those float32 values,
so the test's tolerance measures the Java float32 error against the exact answer (arrays are
rounded to float32 once when stored; scalars stay float64).
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
OUT = os.path.join(ROOT, 'lib', 'src', 'test', 'resources', 'fixtures', 'loss')
sys.path.insert(0, os.path.join(ROOT, 'weights'))
import export_vgg  # noqa: E402  (the converter users run; its writer and layer tables are reused)


def f32(shape, gen, scale=1.0):
    return (torch.randn(*shape, generator=gen, dtype=torch.float64) * scale).float()


def save(name, arrays):
    """Scalars stay float64; arrays are stored as float32 (the float64 reference rounded once)."""
    def arr(v):
        a = v.detach().numpy() if torch.is_tensor(v) else np.asarray(v)
        return a if a.ndim == 0 else a.astype(np.float32)
    path = os.path.join(OUT, name)
    np.savez(path, **{k: arr(v) for k, v in arrays.items()})
    print('wrote', path, os.path.getsize(path), 'bytes')


# ---------------------------------------------------------------- gradient penalty
# A small patch discriminator shaped like the seed's: spectral-norm convs, batch norm in training
# mode, leaky ReLU 0.2, input concat(label 4, image 3, condition 3).
#   c1 SN conv 4x4 s2 p1 10->8, lrelu            (features f1)
#   c2 SN conv 4x4 s2 p1 8->16, BN(train), lrelu (features f2)
#   c3 SN conv 3x3 s1 p1 16->1                   (patch logits)
# Spectral norm as torch.nn.utils.spectral_norm in training mode, one power iteration from a
# stored u: v = normalize(W^T u), u' = normalize(W v) without gradient, sigma = u'^T W v.
D_LAYERS = [('c1', 10, 8, 4, 2, 1), ('c2', 8, 16, 4, 2, 1), ('c3', 16, 1, 3, 1, 1)]


def d_params(gen):
    p = {}
    for name, cin, cout, k, _, _ in D_LAYERS:
        p[name + '_w'] = f32((cout, cin, k, k), gen, 0.3)
        p[name + '_b'] = f32((cout,), gen, 0.1)
        p[name + '_u'] = F.normalize(f32((cout,), gen), dim=0, eps=1e-12)
    p['bn_gamma'] = 1 + f32((16,), gen, 0.1)
    p['bn_beta'] = f32((16,), gen, 0.1)
    return p


def sn_conv(x, p, name, stride, pad):
    w = p[name + '_w']
    wm = w.reshape(w.shape[0], -1)
    with torch.no_grad():
        v = F.normalize(wm.t().mv(p[name + '_u']), dim=0, eps=1e-12)
        u = F.normalize(wm.mv(v), dim=0, eps=1e-12)
    sigma = torch.dot(u, wm.mv(v))
    return F.conv2d(x, w / sigma, p[name + '_b'], stride=stride, padding=pad)


def small_d(p, label, image, cond):
    x = torch.cat([label, image, cond], 1)
    f1 = F.leaky_relu(sn_conv(x, p, 'c1', 2, 1), 0.2)
    h = sn_conv(f1, p, 'c2', 2, 1)
    h = F.batch_norm(h, None, None, p['bn_gamma'], p['bn_beta'], training=True, eps=1e-5)
    f2 = F.leaky_relu(h, 0.2)
    return sn_conv(f2, p, 'c3', 1, 1), [f1, f2]


def r1(logits, x):
    g, = torch.autograd.grad(logits.sum(), x, create_graph=True)
    return g.pow(2).flatten(1).sum(1).mean()


def squared_sum(logits, x):
    g, = torch.autograd.grad(logits.flatten(1).mean(1).sum(), x, create_graph=True)
    return g.flatten(1).sum(1).pow(2).mean()


def gradient_penalty_fixture():
    gen = torch.Generator().manual_seed(5)
    b, h = 2, 16
    label = (torch.rand(b, 4, h, h, generator=gen) > 0.7).float()
    image = torch.rand(b, 3, h, h, generator=gen).float() * 2 - 1
    fake = torch.rand(b, 3, h, h, generator=gen).float() * 2 - 1
    cond = torch.rand(b, 3, h, h, generator=gen).float()
    p32 = d_params(gen)
    out = {'label': label, 'image': image, 'fake': fake, 'cond': cond}
    out.update(p32)
    trainable = [k for k in p32 if not k.endswith('_u')]

    def run(fn):
        p = {k: v.double().requires_grad_(k in trainable) for k, v in p32.items()}
        x = image.double().requires_grad_(True)
        logits, _ = small_d(p, label.double(), x, cond.double())
        value = fn(logits, x)
        # The last bias does not reach d logits / dx: its gradient is zero (None in torch).
        grads = torch.autograd.grad(value, [p[k] for k in trainable], allow_unused=True)
        return value, {k: torch.zeros_like(p[k]) if g is None else g
                       for k, g in zip(trainable, grads)}

    for tag, fn in [('r1', r1), ('squared_sum', squared_sum)]:
        value, grads = run(fn)
        out[tag + '_value'] = value
        for k, g in grads.items():
            out[tag + '_grad_' + k] = g

    # A whole D step of the seed (hinge, R1 on real and fake, gamma 10): loss =
    # 0.5 (mean relu(1 - D(real)) + mean relu(1 + D(fake))) + gamma/2 (R1(real) + R1(fake)).
    p = {k: v.double().requires_grad_(k in trainable) for k, v in p32.items()}
    xr = image.double().requires_grad_(True)
    xf = fake.double().requires_grad_(True)
    real_logits, _ = small_d(p, label.double(), xr, cond.double())
    fake_logits, _ = small_d(p, label.double(), xf, cond.double())
    adv = 0.5 * (F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean())
    loss = adv + 5.0 * (r1(real_logits, xr) + r1(fake_logits, xf))
    grads = torch.autograd.grad(loss, [p[k] for k in trainable])
    out['dstep_value'] = loss
    for k, g in zip(trainable, grads):
        out['dstep_grad_' + k] = g
    save('gradient_penalty.npz', out)


# ---------------------------------------------------------------- Adam
def adam_fixture():
    """torch.optim.Adam (single-tensor path, float32) on two parameters over 6 steps with given
    gradients; the learning rate changes before step 4 (as the poly schedule does)."""
    gen = torch.Generator().manual_seed(6)
    shapes = {'w': (3, 4), 'b': (5,)}
    init = {k: f32(s, gen) for k, s in shapes.items()}
    steps = 6
    grads = {k: torch.stack([f32(s, gen, 0.5) for _ in range(steps)]) for k, s in shapes.items()}
    out = {'init_' + k: v for k, v in init.items()}
    out.update({'grads_' + k: v for k, v in grads.items()})
    for tag, betas in [('b0', (0.0, 0.9)), ('b05', (0.5, 0.999))]:
        params = {k: v.clone().requires_grad_(True) for k, v in init.items()}
        opt = torch.optim.Adam(list(params.values()), lr=2e-4, betas=betas, eps=1e-8,
                               weight_decay=0, foreach=False)
        trace = {k: [] for k in params}
        for s in range(steps):
            if s == 3:
                for group in opt.param_groups:
                    group['lr'] = 1e-4
            for k, prm in params.items():
                prm.grad = grads[k][s].clone()
            opt.step()
            for k, prm in params.items():
                trace[k].append(prm.detach().clone())
        for k in params:
            out[tag + '_after_' + k] = torch.stack(trace[k])
            st = opt.state[params[k]]
            out[tag + '_m_' + k] = st['exp_avg']
            out[tag + '_v_' + k] = st['exp_avg_sq']
    save('adam.npz', out)


# ---------------------------------------------------------------- VGG perceptual loss
# Reduced-width VGG16 / VGG19 (same layers, pools and names; few channels) written with the
# converter's own writer, so the test also covers the weights file format.
TINY_WIDTHS = (4, 8, 8, 8, 8)
PERCEPTUAL_LAYERS = {'vgg16': ['conv1_2', 'conv2_2', 'conv3_3', 'conv4_3', 'conv5_3'],
                     'vgg19': ['conv1_2', 'conv2_2', 'conv3_4', 'conv4_4', 'conv5_4']}
PERCEPTUAL_WEIGHTS = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1]


def tiny_vgg(arch, gen):
    tensors, cin = {}, 3
    for b, n in enumerate(export_vgg.BLOCKS[arch]):
        for i in range(n):
            cout = TINY_WIDTHS[b]
            name = 'conv%d_%d' % (b + 1, i + 1)
            tensors[name + '.weight'] = f32((cout, cin, 3, 3), gen, (2.0 / (cin * 9)) ** 0.5).numpy()
            tensors[name + '.bias'] = f32((cout,), gen, 0.1).numpy()
            cin = cout
    return tensors


def caffe_input(x):
    """The reference's prepare(): (x + 1) / 2, RGB -> BGR, x 255, minus the Caffe mean."""
    mean = torch.tensor(export_vgg.CAFFE_MEAN_BGR, dtype=x.dtype).view(1, 3, 1, 1)
    return ((x + 1) / 2).flip(1) * 255 - mean


def vgg_features(tensors, arch, x, layers):
    feats, h = {}, x
    for b, n in enumerate(export_vgg.BLOCKS[arch]):
        if b > 0:
            h = F.max_pool2d(h, 2)
        for i in range(n):
            name = 'conv%d_%d' % (b + 1, i + 1)
            w = torch.from_numpy(tensors[name + '.weight']).to(x.dtype)
            bias = torch.from_numpy(tensors[name + '.bias']).to(x.dtype)
            h = F.relu(F.conv2d(h, w, bias, padding=1))
            if name in layers:
                feats[name] = h
    return [feats[n] for n in layers]


def perceptual(tensors, arch, real, fake, mse):
    layers = PERCEPTUAL_LAYERS[arch]
    fr = vgg_features(tensors, arch, caffe_input(real), layers)
    ff = vgg_features(tensors, arch, caffe_input(fake), layers)
    crit = (lambda a, b: ((a - b) ** 2).mean()) if mse else (lambda a, b: (a - b).abs().mean())
    coef = 10.0 * (0.5 if mse else 1.0)
    loss = sum(w * crit(r.detach(), f) / 255 for w, r, f in zip(PERCEPTUAL_WEIGHTS, fr, ff))
    return coef * loss, ff


def vgg_fixture():
    gen = torch.Generator().manual_seed(7)
    real = torch.rand(2, 3, 32, 32, generator=gen).float() * 2 - 1
    fake = torch.rand(2, 3, 32, 32, generator=gen).float() * 2 - 1
    for arch in ('vgg16', 'vgg19'):
        tensors = tiny_vgg(arch, gen)
        export_vgg.write_safetensors(os.path.join(OUT, arch + '_tiny.safetensors'), tensors,
                                     {'format': export_vgg.FORMAT, 'arch': arch,
                                      'input': export_vgg.INPUT, 'source': 'random (test fixture)'})
        out = {'real': real, 'fake': fake}
        xf = fake.double().requires_grad_(True)
        mae, feats = perceptual(tensors, arch, real.double(), xf, mse=False)
        out['mae'] = mae
        out['mae_grad_fake'], = torch.autograd.grad(mae, xf)
        out['mse'], _ = perceptual(tensors, arch, real.double(), fake.double(), mse=True)
        for name, f in zip(PERCEPTUAL_LAYERS[arch], feats):
            out['fake_' + name] = f
        save(arch + '_tiny.npz', out)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    gradient_penalty_fixture()
    adam_fixture()
    vgg_fixture()


if __name__ == '__main__':
    main()
