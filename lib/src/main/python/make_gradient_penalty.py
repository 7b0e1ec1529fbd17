#!/usr/bin/python3
"""Writes the two TorchScript modules that org.spadeanime.loss.GradientPenalty runs.

DJL's GradientCollector cannot build a graph of a gradient (no create_graph), and the JNI route
(JniUtils.backward with createGraph) leaks native memory. A scripted module that calls
torch.autograd.grad(create_graph=True) gives the gradient penalty as an ordinary differentiable
output: its backward reaches every parameter of the discriminator through the graph DJL built.

Both modules have forward(logits, x) -> scalar, where x is the (B, C, H, W) discriminator input
that had requires_grad set before the discriminator ran, and logits is D's output for it
(any shape whose first axis is the batch):

  gradient_penalty_r1.pt           R1 (Mescheder et al. 2018, without its gamma/2):
                                   mean_b || d(sum of all logits)/d x_b ||^2
  gradient_penalty_squared_sum.pt  the original Chainer code's form:
                                   mean_b ( sum_{c,h,w} d Dbar_b / d x_b )^2, Dbar_b = patch mean

Run with Debian's torch (1.13 writes files that libtorch 2.7.1 reads):
  /usr/bin/python3 lib/src/main/python/make_gradient_penalty.py
The outputs are committed; rerun only when the formulas change.
"""
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   '..', 'resources', 'org', 'spadeanime', 'loss')


class R1(torch.nn.Module):
    def forward(self, logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        # create_graph=True also retains D's graph, so the adversarial term can still backpropagate.
        grads = torch.autograd.grad([logits.sum()], [x], create_graph=True)
        g = grads[0]
        assert g is not None, 'x is not an input of the graph that produced logits'
        return g.pow(2).flatten(1).sum(1).mean()


class SquaredSum(torch.nn.Module):
    def forward(self, logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        patch_mean = logits.flatten(1).mean(1)
        grads = torch.autograd.grad([patch_mean.sum()], [x], create_graph=True)
        g = grads[0]
        assert g is not None, 'x is not an input of the graph that produced logits'
        return g.flatten(1).sum(1).pow(2).mean()


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, module in [('gradient_penalty_r1.pt', R1()),
                         ('gradient_penalty_squared_sum.pt', SquaredSum())]:
        path = os.path.normpath(os.path.join(OUT, name))
        torch.jit.save(torch.jit.script(module), path)  # same bytes on every run
        # Self-check: the saved module gives torch.autograd.grad's value.
        loaded = torch.jit.load(path)
        torch.manual_seed(0)
        x = torch.randn(2, 3, 8, 8, requires_grad=True)
        w = torch.randn(1, 3, 3, 3)
        logits = torch.nn.functional.conv2d(x, w, padding=1)
        assert torch.allclose(loaded(logits, x), module(logits, x))
        print('wrote', path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
