package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * The small patch discriminator of make_loss_fixtures.py, written functionally in DJL ops so the
 * test can set every parameter from the fixture: spectral-norm convs (one power iteration from a
 * stored u, σ kept in the graph), batch norm in training mode, leaky ReLU 0.2, input
 * concat(label, image, condition). Returns NDList(logits, f1, f2) like the real D.
 */
final class SmallDiscriminator {

    /** The trainable parameters, in the fixture's names. */
    static final List<String> TRAINABLE =
            List.of("c1_w", "c1_b", "c2_w", "c2_b", "c3_w", "c3_b", "bn_gamma", "bn_beta");

    private final Fixtures p;

    /** Parameters read from {@code fixture}; marks the trainable ones as requiring gradients. */
    SmallDiscriminator(Fixtures fixture) {
        this.p = fixture;
        for (String name : TRAINABLE) {
            p.get(name).setRequiresGradient(true);
        }
    }

    NDArray param(String name) {
        return p.get(name);
    }

    NDList forward(NDArray label, NDArray image, NDArray condition) {
        NDArray x = label.concat(image, 1).concat(condition, 1);
        NDArray f1 = Activation.leakyRelu(snConv(x, "c1", 2, 1), 0.2f);
        NDArray h = snConv(f1, "c2", 2, 1);
        long c = h.getShape().get(1);
        NDArray runningMean = h.getManager().zeros(new Shape(c));
        NDArray runningVar = h.getManager().ones(new Shape(c));
        h = BatchNorm.batchNorm(h, runningMean, runningVar, p.get("bn_gamma"), p.get("bn_beta"), 1, 0.1f, 1e-5f, true).head();
        NDArray f2 = Activation.leakyRelu(h, 0.2f);
        return new NDList(snConv(f2, "c3", 1, 1), f1, f2);
    }

    private NDArray snConv(NDArray x, String name, int stride, int pad) {
        NDArray w = p.get(name + "_w");
        long out = w.getShape().get(0);
        NDArray wm = w.reshape(out, -1);
        NDArray wd = wm.stopGradient();
        NDArray u = p.get(name + "_u").reshape(out, 1);
        NDArray v = normalize(wd.transpose().matMul(u));
        NDArray u2 = normalize(wd.matMul(v));
        NDArray sigma = u2.transpose().matMul(wm.matMul(v)).reshape(new Shape());
        return Conv2d.conv2d(x, w.div(sigma), p.get(name + "_b"), new Shape(stride, stride),
                new Shape(pad, pad), new Shape(1, 1), 1).head();
    }

    private static NDArray normalize(NDArray v) {
        return v.div(v.norm().maximum(1e-12f));
    }
}
