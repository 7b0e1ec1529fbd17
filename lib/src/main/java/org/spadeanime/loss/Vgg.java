package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.spadeanime.io.SafeTensors;

/**
 * The convolutional part of VGG16 / VGG19 (Simonyan and Zisserman) as a frozen feature extractor
 * for the perceptual loss: blocks of 3×3 convolutions (padding 1), each followed by ReLU, with a
 * 2×2 max pool (stride 2, ceil mode as Caffe and Chainer) before blocks 2–5. A layer name such
 * as {@code conv3_3} denotes that convolution's output after its ReLU, as in Chainer's VGG16Layers.
 *
 * <p>Input: the Caffe convention of the pretrained weights, see {@link #preprocess}. Weights come
 * from a safetensors file made by {@code weights/export_vgg.py} (format in that script), or are
 * random for tests. Channel widths are read from the file, so reduced-width test networks work.
 * Weights live in this object's own manager and never require gradients; outputs belong to the
 * input's manager.
 */
public final class Vgg implements AutoCloseable {

    /** The two architectures and their perceptual-loss layers. */
    public enum Arch {
        VGG16(new int[] {2, 2, 3, 3, 3}),
        VGG19(new int[] {2, 2, 4, 4, 4});

        private final int[] blocks;

        Arch(int[] blocks) {
            this.blocks = blocks;
        }

        /** conv1_1, conv1_2, conv2_1, ... in network order. */
        public List<String> convNames() {
            List<String> names = new ArrayList<>();
            for (int b = 0; b < blocks.length; b++) {
                for (int i = 0; i < blocks[b]; i++) {
                    names.add("conv" + (b + 1) + "_" + (i + 1));
                }
            }
            return names;
        }

        /**
         * The last convolution of each block: conv1_2, conv2_2, conv3_3, conv4_3, conv5_3 for VGG16
         * (the reference's layers); conv1_2, conv2_2, conv3_4, conv4_4, conv5_4 for VGG19 (what the
         * original meant: a typo there, {@code layer_name}, left its VGG19 on the VGG16 names).
         */
        public List<String> perceptualLayers() {
            List<String> names = new ArrayList<>();
            for (int b = 0; b < blocks.length; b++) {
                names.add("conv" + (b + 1) + "_" + blocks[b]);
            }
            return names;
        }

        /** The default weights file, weights/vgg16.safetensors or weights/vgg19.safetensors. */
        public Path defaultWeights() {
            return Path.of("weights", name().toLowerCase(Locale.ROOT) + ".safetensors");
        }
    }

    /** Metadata values the weights file must carry (written by weights/export_vgg.py). */
    public static final String FORMAT = "spade-anime-vgg/1";
    public static final String INPUT = "caffe-bgr-255";
    /** Caffe's ImageNet mean, BGR order. */
    private static final float[] MEAN_BGR = {103.939f, 116.779f, 123.68f};
    private static final int[] FULL_WIDTHS = {64, 128, 256, 512, 512};

    private final Arch arch;
    private final NDManager manager;
    private final Map<String, NDArray[]> convs; // name -> {weight, bias}, network order
    private final NDArray mean;
    private final String source;

    private Vgg(Arch arch, NDManager manager, Map<String, NDArray[]> convs, String source) {
        this.arch = arch;
        this.manager = manager;
        this.convs = Collections.unmodifiableMap(convs);
        this.mean = manager.create(MEAN_BGR, new Shape(1, 3, 1, 1));
        this.source = source;
    }

    /**
     * Loads a weights file written by weights/export_vgg.py. The file's metadata must name the
     * format, the Caffe input convention and {@code arch}; every convolution must be present with
     * 3×3 kernels whose channels chain from 3 inputs. Errors name the file and what was expected.
     */
    public static Vgg load(Path file, Arch arch, NDManager parent) throws IOException {
        NDManager manager = parent.newSubManager();
        try {
            SafeTensors.Contents contents = SafeTensors.read(file, manager);
            Map<String, String> meta = contents.metadata();
            String hint = "; write it with weights/export_vgg.py";
            if (!FORMAT.equals(meta.get("format"))) {
                throw new IOException(file + ": metadata format is " + meta.get("format") + ", expected " + FORMAT + hint);
            }
            if (!INPUT.equals(meta.get("input"))) {
                throw new IOException(file + ": metadata input is " + meta.get("input") + ", expected " + INPUT
                        + " (Caffe BGR 0..255 minus mean)" + hint);
            }
            String fileArch = meta.get("arch");
            if (!arch.name().toLowerCase(Locale.ROOT).equals(fileArch)) {
                throw new IOException(file + ": holds " + fileArch + " weights, expected " + arch.name().toLowerCase(Locale.ROOT));
            }
            Map<String, NDArray[]> convs = new LinkedHashMap<>();
            long channels = 3;
            for (String name : arch.convNames()) {
                NDArray w = contents.tensors().get(name + ".weight");
                NDArray b = contents.tensors().get(name + ".bias");
                if (w == null || b == null) {
                    throw new IOException(file + ": missing tensor " + name + (w == null ? ".weight" : ".bias"));
                }
                Shape s = w.getShape();
                if (s.dimension() != 4 || s.get(1) != channels || s.get(2) != 3 || s.get(3) != 3
                        || !b.getShape().equals(new Shape(s.get(0)))) {
                    throw new IOException(file + ": " + name + " has weight " + s + " and bias " + b.getShape()
                            + "; expected (out, " + channels + ", 3, 3) and (out)");
                }
                channels = s.get(0);
                convs.put(name, new NDArray[] {w, b});
            }
            return new Vgg(arch, manager, convs, file + " (" + meta.getOrDefault("source", "unknown source") + ")");
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A randomly initialised network (He-normal weights, zero biases) for tests and for trying the
     * code path without pretrained weights. {@code widthDivisor} 1 gives the real widths
     * 64/128/256/512/512; larger values give a reduced-width network with the same layers.
     */
    public static Vgg random(Arch arch, int widthDivisor, long seed, NDManager parent) {
        if (widthDivisor < 1 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("VGG width divisor " + widthDivisor + ": expected a divisor of 64");
        }
        NDManager manager = parent.newSubManager();
        Random random = new Random(seed);
        Map<String, NDArray[]> convs = new LinkedHashMap<>();
        int channels = 3;
        for (String name : arch.convNames()) {
            int out = FULL_WIDTHS[name.charAt(4) - '1'] / widthDivisor;
            float[] w = new float[out * channels * 9];
            double std = Math.sqrt(2.0 / (channels * 9));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * std);
            }
            convs.put(name, new NDArray[] {manager.create(w, new Shape(out, channels, 3, 3)),
                    manager.zeros(new Shape(out), DataType.FLOAT32)});
            channels = out;
        }
        return new Vgg(arch, manager, convs, "random (seed " + seed + ", width / " + widthDivisor + ")");
    }

    public Arch arch() {
        return arch;
    }

    /** Where the weights came from (file and converter source, or "random"). */
    public String source() {
        return source;
    }

    /**
     * The reference's {@code prepare()}: images in [−1, 1], RGB, (B, 3, H, W) →
     * {@code (x + 1)/2}, RGB → BGR, × 255, minus the Caffe mean 103.939 / 116.779 / 123.68.
     */
    public NDArray preprocess(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("VGG input: expected RGB images (B, 3, H, W), got " + s);
        }
        // Scalar via full(), not mul(float): DJL frees a Number operand's Java buffer while autograd still reads it.
        NDArray scale = images.getManager().full(new Shape(), 127.5f);
        return images.flip(1).add(1f).mul(scale).sub(mean.toDevice(images.getDevice(), false));
    }

    /**
     * The ReLU outputs of the named layers (in the order given) for a preprocessed batch; the
     * network runs only as far as the deepest requested layer.
     */
    public NDList features(NDArray preprocessed, List<String> layers) {
        for (String layer : layers) {
            if (!convs.containsKey(layer)) {
                throw new IllegalArgumentException("VGG layer '" + layer + "': " + arch + " has " + convs.keySet());
            }
        }
        Map<String, NDArray> found = new LinkedHashMap<>();
        NDArray h = preprocessed;
        String block = "1";
        for (Map.Entry<String, NDArray[]> e : convs.entrySet()) {
            if (found.size() == layers.size()) {
                break;
            }
            String name = e.getKey();
            String b = name.substring(4, name.indexOf('_'));
            if (!b.equals(block)) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true);
                block = b;
            }
            h = Activation.relu(Conv2d.conv2d(h, e.getValue()[0], e.getValue()[1], new Shape(1, 1),
                    new Shape(1, 1), new Shape(1, 1), 1).head());
            if (layers.contains(name)) {
                found.put(name, h);
            }
        }
        NDList out = new NDList(layers.size());
        for (String layer : layers) {
            out.add(found.get(layer));
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
