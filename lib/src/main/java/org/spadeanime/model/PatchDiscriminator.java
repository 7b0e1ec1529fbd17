package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The original's single patch discriminator with self-attention. Channels for ndf 64 at 256²:
 *
 * <pre>
 *   x = concat(label, image, condition)                         10 × 256²
 *   c1 SNConv4×4 s2 p1, lrelu                          → feature1  64 × 128²
 *   c2 SNConv4×4 s2 p1, BN, lrelu                      → feature2  128 × 64²
 *   c3 SNConv4×4 s2 p1, self-attention, BN, lrelu      → feature3  256 × 32²
 *   c4 SNConv4×4 s1 p1, BN, lrelu                      → feature4  512 × 31²
 *   head SNConv4×4 s1 p1; r1, r2, r3 residual; lrelu   → feature5  64 × 30²
 *   to_patch SNConv3×3 p1                              → logits    1 × 30²
 * </pre>
 *
 * <p>Forward: {@code NDList(label, image, condition)} → {@code NDList(logits (B, 1, h, w),
 * feature1, …, feature5)}.
 */
public final class PatchDiscriminator extends SpadeNetwork {

    private final SpectralConv2d c1;
    private final SpectralConv2d c2;
    private final Block n2;
    private final SpectralConv2d c3;
    private final SelfAttention att;
    private final Block n3;
    private final SpectralConv2d c4;
    private final Block n4;
    private final SpectralConv2d head;
    private final DiscriminatorResBlock[] res = new DiscriminatorResBlock[3];
    private final SpectralConv2d toPatch;

    /** Builds an uninitialised discriminator; call {@link #initialize(NDManager)} next. */
    public PatchDiscriminator(ModelOptions o) {
        super(o);
        int ndf = o.ndf();
        boolean sn = o.spectralNorm();
        c1 = addChildBlock("c1", down(o.discriminatorInputChannels(), ndf, 2, sn));
        c2 = addChildBlock("c2", down(ndf, 2 * ndf, 2, sn));
        n2 = addBatchNorm("n2", 2 * ndf, true);
        c3 = addChildBlock("c3", down(2 * ndf, 4 * ndf, 2, sn));
        att = addChildBlock("att", new SelfAttention(4 * ndf, o.divisionCh(), sn));
        n3 = addBatchNorm("n3", 4 * ndf, true);
        c4 = addChildBlock("c4", down(4 * ndf, 8 * ndf, 1, sn));
        n4 = addBatchNorm("n4", 8 * ndf, true);
        head = addChildBlock("head", down(8 * ndf, 8 * ndf, 1, sn));
        for (int i = 0; i < 3; i++) {
            res[i] = addChildBlock("r" + (i + 1),
                    new DiscriminatorResBlock((8 * ndf) >> i, (4 * ndf) >> i, sn));
        }
        toPatch = addChildBlock("to_patch", SpectralConv2d.builder(ndf, 1)
                .spectralNorm(sn).init(smallNormal()).build());
    }

    private static SpectralConv2d down(int in, int out, int stride, boolean sn) {
        return SpectralConv2d.builder(in, out).kernel(4).stride(stride).padding(1).spectralNorm(sn).build();
    }

    /** Builds a discriminator from a checkpoint's options and loads its parameters. */
    public static PatchDiscriminator load(Path file, NDManager manager) throws IOException {
        return load(file, manager, PatchDiscriminator::new);
    }

    /**
     * The input window one patch logit sees through the convolutions: 70×70 after the head (as
     * pix2pix's PatchGAN), 182×182 with the residual blocks and the last conv. Self-attention is
     * left out: with its γ at the initial 0 it adds nothing, and once γ is learnt every logit can
     * draw on the whole image through it.
     */
    public ReceptiveField receptiveField() {
        ReceptiveField rf = c1.receptiveField().then(c2.receptiveField()).then(c3.receptiveField())
                .then(c4.receptiveField()).then(head.receptiveField());
        for (DiscriminatorResBlock r : res) {
            rf = rf.then(r.receptiveField());
        }
        return rf.then(toPatch.receptiveField());
    }

    /** The self-attention block after c3 (e.g. to watch its attention weights). */
    public SelfAttention selfAttention() {
        return att;
    }

    @Override
    public Shape[] inputShapes(int batch) {
        return options().discriminatorInputShapes(batch);
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        checkInputs(inputs, "label", "image", "condition");
        NDArray h = stage("input", NDArrays.concat(inputs, 1));
        NDArray f1 = stage("feature1", lrelu(call(c1, ps, training, h)));
        NDArray f2 = stage("feature2", lrelu(call(n2, ps, training, call(c2, ps, training, f1))));
        h = stage("att", call(att, ps, training, call(c3, ps, training, f2)));
        NDArray f3 = stage("feature3", lrelu(call(n3, ps, training, h)));
        NDArray f4 = stage("feature4", lrelu(call(n4, ps, training, call(c4, ps, training, f3))));
        h = stage("head", call(head, ps, training, f4));
        for (int i = 0; i < res.length; i++) {
            h = stage("r" + (i + 1), call(res[i], ps, training, h));
        }
        NDArray f5 = stage("feature5", lrelu(h));
        NDArray logits = stage("logits", call(toPatch, ps, training, f5));
        return new NDList(logits, f1, f2, f3, f4, f5);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        long r = inputShapes[0].get(2);
        int ndf = options().ndf();
        long p = r / 8 - 2;
        return new Shape[] {
            new Shape(b, 1, p, p),
            new Shape(b, ndf, r / 2, r / 2),
            new Shape(b, 2 * ndf, r / 4, r / 4),
            new Shape(b, 4 * ndf, r / 8, r / 8),
            new Shape(b, 8 * ndf, r / 8 - 1, r / 8 - 1),
            new Shape(b, ndf, p, p)
        };
    }
}
