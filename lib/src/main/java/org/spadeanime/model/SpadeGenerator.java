package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.spadeanime.model.ModelOptions.MappingNetwork;

/**
 * The generator (the original's SPADEGenerator): label one-hot + hair-colour map → illustration.
 *
 * <pre>
 *   w1 = mapping(label), w2 = mapping(condition)                    full resolution, spadeCh
 *   h  = head(label resized bilinear to 4×4)                        SNConv3×3 classes→8·ngf
 *   h  = r1(h, w1) → up1 → r2(h, w1) → … → r(n−1)(h, w1, w2) → up → rn(h, w1, w2)
 *   image = tanh(to_img(lrelu(h)))                                  plain conv 3×3 ngf/2→3
 * </pre>
 *
 * At 256² there are seven blocks (512, 512, 512, 256, 128, 64, 32 channels for ngf 64) from 4×4 to
 * 256², as the original; 128² and 64² drop leading 8·ngf blocks. The mapping features are resized
 * once per block size per forward (the original resizes them again in every SPADE layer; the values
 * are the same).
 *
 * <p>Forward: {@code NDList(label (B, classes, H, W) one-hot, condition (B, 3, H, W) in [0, 1])}
 * → {@code NDList(image (B, 3, H, W) in [−1, 1])}, H = W = resolution.
 */
public final class SpadeGenerator extends SpadeNetwork {

    private final Block w1;
    private final Block w2;
    private final SpectralConv2d head;
    private final SpadeResBlock[] blocks;
    private final Upsample[] ups;
    private final SpectralConv2d toImg;
    private final Resize.Mode mapResize;

    /** Builds an uninitialised generator; call {@link #initialize(NDManager)} next. */
    public SpadeGenerator(ModelOptions o) {
        super(o);
        w1 = mappingNetwork(o, o.numClasses(), "w1");
        w2 = o.colorMapping() ? mappingNetwork(o, ModelOptions.RGB, "w2") : null;
        ModelOptions.Padding pad = o.generatorPadding();
        head = addChildBlock("head", SpectralConv2d.builder(o.numClasses(), 8 * o.ngf())
                .spectralNorm(o.generatorUsesSpectralNorm()).paddingMode(pad).build());
        // NONE feeds the one-hot label itself, resized like NVlabs SPADE (nearest keeps it one-hot).
        mapResize = o.mappingNetwork() == MappingNetwork.NONE ? Resize.Mode.NEAREST : Resize.Mode.BILINEAR;
        int n = o.numBlocks();
        blocks = new SpadeResBlock[n];
        ups = new Upsample[n - 1];
        for (int i = 0; i < n; i++) {
            blocks[i] = addChildBlock("r" + (i + 1), new SpadeResBlock(o.blockInChannels(i),
                    o.blockOutChannels(i), o.labelMappingChannels(),
                    o.blockUsesColorMap(i) ? o.colorMappingChannels() : 0, o.noise(), o.generatorUsesSpectralNorm(),
                    mapResize, pad));
            if (i < n - 1) {
                ups[i] = addChildBlock("up" + (i + 1),
                        new Upsample(o.upsampling(), o.blockOutChannels(i), o.generatorUsesSpectralNorm(), pad));
            }
        }
        toImg = addChildBlock("to_img", SpectralConv2d.builder(o.blockOutChannels(n - 1), ModelOptions.RGB)
                .init(smallNormal()).paddingMode(pad).build());
    }

    private Block mappingNetwork(ModelOptions o, int inChannels, String name) {
        return switch (o.mappingNetwork()) {
            case CONSTANT_FCN -> addChildBlock(name, new ConstantFcn(inChannels, o.spadeCh(), o.generatorPadding()));
            case ASPP -> addChildBlock(name, new Aspp(inChannels, o.spadeCh(), o.asppNf(), o.resolution(),
                    o.generatorUsesSpectralNorm(), o.generatorPadding()));
            case NONE -> null;
        };
    }

    /** Builds a generator from a checkpoint's options and loads its parameters into {@code manager}. */
    public static SpadeGenerator load(Path file, NDManager manager) throws IOException {
        return load(file, manager, SpadeGenerator::new);
    }

    /** Sets the noise source of every noise layer (default: the engine RNG). */
    public void setNoiseSource(NoiseSource source) {
        for (SpadeResBlock b : blocks) {
            b.setNoiseSource(source);
        }
    }

    @Override
    public Shape[] inputShapes(int batch) {
        return options().generatorInputShapes(batch);
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        ModelOptions o = options();
        checkInputs(inputs, "label", "condition");
        NDArray label = inputs.get(0);
        NDArray condition = inputs.get(1);
        NDArray map1 = stage("w1", w1 == null ? label : call(w1, ps, training, label));
        NDArray map2 = null;
        if (o.colorMapping()) {
            map2 = stage("w2", w2 == null ? condition : call(w2, ps, training, condition));
        }
        int hs = ModelOptions.HEAD_SIZE;
        NDArray h = stage("head", call(head, ps, training, Resize.bilinear(label, hs, hs)));
        for (int i = 0; i < blocks.length; i++) {
            int size = o.blockSize(i);
            NDArray m1 = Resize.resize(map1, size, size, mapResize);
            h = blocks[i].takesSecondMap()
                    ? call(blocks[i], ps, training, h, m1, Resize.resize(map2, size, size, mapResize))
                    : call(blocks[i], ps, training, h, m1);
            stage("r" + (i + 1), h);
            if (i < ups.length) {
                h = stage("up" + (i + 1), call(ups[i], ps, training, h));
            }
        }
        h = stage("to_img", call(toImg, ps, training, lrelu(h)));
        return new NDList(stage("image", h.tanh()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int r = options().resolution();
        return new Shape[] {new Shape(inputShapes[0].get(0), ModelOptions.RGB, r, r)};
    }
}
