package org.spadeanime.model;

import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.spadeanime.io.RecordJson;

/**
 * Every architecture choice of the generator and the discriminator, with the original's names and
 * defaults ({@link #paper()}) plus ablation switches. Immutable; {@link #with(UnaryOperator)} returns a
 * copy with named changes ({@code paper().with(b -> b.ngf(16).noise(false))}), and {@code withX(..)}
 * changes one field ({@code ModelOptions.paper().withNoise(false)}, as the ablation notebook writes). Printable
 * ({@link #toString()}) and JSON-serialisable ({@link #toJson()} / {@link #fromJson(String)}); the
 * JSON goes into every checkpoint.
 *
 * @param resolution image height = width: 64, 128 or 256 (the original: 256)
 * @param numClasses label classes without background (original {@code class_num}: 4)
 * @param ngf generator width (original {@code ngf}: 64); blocks run at 8·ngf … ngf/2 channels
 * @param ndf discriminator width (original {@code ndf}: 64)
 * @param spadeCh channels of the mapping network's output, the input of every SPADE γ/β conv
 *     (original {@code spade_ch}: 32)
 * @param divisionCh channel divisor of self-attention's query/key/value (original {@code
 *     division_ch}: 8)
 * @param asppNf hidden channels of each ASPP branch (the original's code hard-codes 128; its
 *     unused {@code aspp_nf} option says 256)
 * @param spectralNorm spectral normalisation on the original's SN convs (original {@code
 *     conv_norm=spectral_norm_hook}); off = plain convs
 * @param noise StyleGAN noise injection in every SPADE residual block
 * @param colorMapping the second mapping network (w2) on the hair-colour map, fed to the last two
 *     blocks; off = the generator ignores the colour map
 * @param mappingNetwork what encodes the label (and the colour map) for the SPADE layers
 * @param upsampling how the generator doubles the size between blocks (original {@code
 *     upsampling_mode})
 * @param generatorSpectralNorm spectral normalisation in the generator too (original: yes); false keeps
 *     it in the discriminator only (the SAGAN/BigGAN question); with spectralNorm off neither has it
 * @param generatorPadding what the generator's convolutions pad with (original: zeros; not an
 *     option there); options saved before it existed read as ZEROS
 */
public record ModelOptions(
        int resolution,
        int numClasses,
        int ngf,
        int ndf,
        int spadeCh,
        int divisionCh,
        int asppNf,
        boolean spectralNorm,
        boolean noise,
        boolean colorMapping,
        MappingNetwork mappingNetwork,
        Upsampling upsampling,
        boolean generatorSpectralNorm,
        Padding generatorPadding) {

    /** Channels of the hair-colour condition map and of the image. */
    public static final int RGB = 3;

    /** Size of the generator's first feature map (the original: 4×4 at 256²). */
    public static final int HEAD_SIZE = 4;

    /** What feeds the SPADE layers. */
    public enum MappingNetwork {
        /** The original: a constant-resolution atrous FCN ({@link ConstantFcn}) per input. */
        CONSTANT_FCN,
        /** The original's unused alternative: atrous spatial pyramid pooling ({@link Aspp}). */
        ASPP,
        /** No mapping network: the one-hot label (colour map) itself, resized per layer with
         *  nearest neighbours as NVlabs SPADE does. */
        NONE
    }

    /** Up-sampling between generator blocks. The original's {@code deconv} mode is not offered:
     *  its transposed conv has stride 1 and never changes the size (see {@link Upsample}). */
    public enum Upsampling {
        /** The original's default: bilinear ×2 with aligned corners (Chainer's resize_images). */
        BILINEAR,
        /** Nearest-neighbour ×2 (each pixel repeated). */
        NEAREST,
        /** Sub-pixel conv: SN conv 3×3 ch→4ch, then depth-to-space ×2. */
        SUBPIXEL
    }

    /**
     * What the generator's convolutions pad their input with (the discriminator's always pad with
     * zeros, as the original's).
     */
    public enum Padding {
        /** The original (Chainer's and torch's default). */
        ZEROS,
        /** The input reflected at its border (torch's {@code padding_mode="reflect"}, pix2pixHD's
         *  generator): no zeros for the border pixels to see, the suspected cause of a tinted frame. */
        REFLECT
    }

    /** Validates; every bad value is an {@link IllegalArgumentException} naming the option. */
    public ModelOptions {
        require(resolution == 64 || resolution == 128 || resolution == 256,
                "resolution", resolution, "64, 128 or 256");
        require(numClasses >= 1, "numClasses", numClasses, "at least 1");
        require(ngf >= 2 && ngf % 2 == 0, "ngf", ngf, "an even number >= 2 (the last block has ngf/2 channels)");
        require(ndf >= 1, "ndf", ndf, "at least 1");
        require(spadeCh >= 8 && spadeCh % 8 == 0, "spadeCh", spadeCh,
                "a multiple of 8 (the constant FCN widens spadeCh/8 → /4 → /2 → 1)");
        require(divisionCh >= 1 && (4 * ndf) % divisionCh == 0, "divisionCh", divisionCh,
                "a divisor of the self-attention channels 4·ndf = " + 4 * ndf);
        require(asppNf >= 1, "asppNf", asppNf, "at least 1");
        if (mappingNetwork == null) {
            throw new IllegalArgumentException("model option mappingNetwork: expected one of "
                    + Arrays.toString(MappingNetwork.values()) + ", got null");
        }
        if (upsampling == null) {
            throw new IllegalArgumentException("model option upsampling: expected one of "
                    + Arrays.toString(Upsampling.values()) + ", got null");
        }
        if (generatorPadding == null) {
            throw new IllegalArgumentException("model option generatorPadding: expected one of "
                    + Arrays.toString(Padding.values()) + ", got null");
        }
    }

    private static void require(boolean ok, String name, int value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "model option " + name + ": expected " + expected + ", got " + value);
        }
    }

    /** The original model: 256², ngf = ndf = 64, spade_ch 32, SN, noise, both mapping networks. */
    public static ModelOptions paper() {
        return new Builder().resolution(256).numClasses(4).ngf(64).ndf(64).spadeCh(32).divisionCh(8).asppNf(128)
                .spectralNorm(true).noise(true).colorMapping(true).mappingNetwork(MappingNetwork.CONSTANT_FCN)
                .upsampling(Upsampling.BILINEAR).generatorSpectralNorm(true).generatorPadding(Padding.ZEROS).build();
    }

    /** The same architecture, small and fast: 64², ngf = ndf = spade_ch = 8 (tests, CI, demos). */
    public static ModelOptions tiny() {
        return paper().with(b -> b.resolution(64).ngf(8).ndf(8).spadeCh(8));
    }

    /** A middle size for CPU runs: 128², ngf = ndf = 32. */
    public static ModelOptions mid() {
        return paper().with(b -> b.resolution(128).ngf(32).ndf(32));
    }

    /**
     * The architecture of the shipped {@code weights/cpu128}: 128², ngf = ndf = spade_ch = 16, no mapping
     * network (the one-hot label and the colour map go to SPADE as they are), which scored better in the
     * ablation than the original's atrous FCN and is faster, and reflect padding in the generator, which
     * shrank the tinted border frame there (README, Results).
     */
    public static ModelOptions cpu128() {
        return paper().with(b -> b.resolution(128).ngf(16).ndf(16).spadeCh(16).mappingNetwork(MappingNetwork.NONE)
                .generatorPadding(Padding.REFLECT));
    }

    /**
     * A preset by name, {@code tiny}, {@code cpu128}, {@code mid} or {@code paper} (case-insensitive), as the
     * notebooks' SPADE_PRESET knob and the CLI's --preset give it; anything else is an error that
     * lists the names.
     */
    public static ModelOptions preset(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "tiny" -> tiny();
            case "cpu128" -> cpu128();
            case "mid" -> mid();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("model preset '" + name
                    + "': expected tiny, cpu128, mid or paper");
        };
    }

    // ---- derived sizes -------------------------------------------------------------------

    /** Number of SPADE residual blocks: 7 at 256² (as the original), 6 at 128², 5 at 64². */
    public int numBlocks() {
        return Integer.numberOfTrailingZeros(resolution / HEAD_SIZE) + 1;
    }

    /** Input channels of generator block {@code i} (0-based); the original's r1..r7 at 256². */
    public int blockInChannels(int i) {
        return i == 0 ? 8 * ngf : blockOutChannels(i - 1);
    }

    /**
     * Output channels of block {@code i}: the original's 512, 512, 512, 256, 128, 64, 32 at 256²;
     * smaller resolutions drop leading 8·ngf blocks, so the last four always halve the width.
     */
    public int blockOutChannels(int i) {
        int fromEnd = numBlocks() - 1 - i; // 0 for the last block
        return fromEnd >= 4 ? 8 * ngf : (8 * ngf) >> (4 - fromEnd);
    }

    /** Spatial size of block {@code i}'s input and output: 4, 8, … , resolution. */
    public int blockSize(int i) {
        return HEAD_SIZE << i;
    }

    /** True where block {@code i} also takes the colour mapping (w2): the last two blocks. */
    public boolean blockUsesColorMap(int i) {
        return colorMapping && i >= numBlocks() - 2;
    }

    /** Channels of the mapping features that feed SPADE from the label (w1). */
    public int labelMappingChannels() {
        return mappingNetwork == MappingNetwork.NONE ? numClasses : spadeCh;
    }

    /** Channels of the mapping features from the colour map (w2). */
    public int colorMappingChannels() {
        return mappingNetwork == MappingNetwork.NONE ? RGB : spadeCh;
    }

    /** Discriminator input channels: label + image + condition (the original's 10). */
    public int discriminatorInputChannels() {
        return numClasses + 2 * RGB;
    }

    /** Side of the discriminator's patch logits: 30 at 256², 14 at 128², 6 at 64². */
    public int patchSize() {
        return resolution / 8 - 2;
    }

    /** Input shapes of the generator for a batch: label (B, C, H, W), condition (B, 3, H, W). */
    public Shape[] generatorInputShapes(int batch) {
        return new Shape[] {
            new Shape(batch, numClasses, resolution, resolution),
            new Shape(batch, RGB, resolution, resolution)
        };
    }

    /** Input shapes of the discriminator for a batch: label, image, condition. */
    public Shape[] discriminatorInputShapes(int batch) {
        return new Shape[] {
            new Shape(batch, numClasses, resolution, resolution),
            new Shape(batch, RGB, resolution, resolution),
            new Shape(batch, RGB, resolution, resolution)
        };
    }

    // ---- copies ----------------------------------------------------------------------------

    /**
     * A copy with some fields changed, named: {@code o.with(b -> b.ngf(16).noise(false))}. The copy
     * is validated like every other construction.
     */
    public ModelOptions with(UnaryOperator<Builder> change) {
        return change.apply(new Builder(this)).build();
    }

    /** The fields of a {@link ModelOptions} being changed; see {@link #with(UnaryOperator)}. */
    public static final class Builder {
        private int resolution;
        private int numClasses;
        private int ngf;
        private int ndf;
        private int spadeCh;
        private int divisionCh;
        private int asppNf;
        private boolean spectralNorm;
        private boolean noise;
        private boolean colorMapping;
        private MappingNetwork mappingNetwork;
        private Upsampling upsampling;
        private boolean generatorSpectralNorm;
        private Padding generatorPadding;

        private Builder() {}

        private Builder(ModelOptions o) {
            resolution = o.resolution;
            numClasses = o.numClasses;
            ngf = o.ngf;
            ndf = o.ndf;
            spadeCh = o.spadeCh;
            divisionCh = o.divisionCh;
            asppNf = o.asppNf;
            spectralNorm = o.spectralNorm;
            noise = o.noise;
            colorMapping = o.colorMapping;
            mappingNetwork = o.mappingNetwork;
            upsampling = o.upsampling;
            generatorSpectralNorm = o.generatorSpectralNorm;
            generatorPadding = o.generatorPadding;
        }

        public Builder resolution(int v) {
            resolution = v;
            return this;
        }

        public Builder numClasses(int v) {
            numClasses = v;
            return this;
        }

        public Builder ngf(int v) {
            ngf = v;
            return this;
        }

        public Builder ndf(int v) {
            ndf = v;
            return this;
        }

        public Builder spadeCh(int v) {
            spadeCh = v;
            return this;
        }

        public Builder divisionCh(int v) {
            divisionCh = v;
            return this;
        }

        public Builder asppNf(int v) {
            asppNf = v;
            return this;
        }

        public Builder spectralNorm(boolean v) {
            spectralNorm = v;
            return this;
        }

        public Builder noise(boolean v) {
            noise = v;
            return this;
        }

        public Builder colorMapping(boolean v) {
            colorMapping = v;
            return this;
        }

        public Builder mappingNetwork(MappingNetwork v) {
            mappingNetwork = v;
            return this;
        }

        public Builder upsampling(Upsampling v) {
            upsampling = v;
            return this;
        }

        public Builder generatorSpectralNorm(boolean v) {
            generatorSpectralNorm = v;
            return this;
        }

        public Builder generatorPadding(Padding v) {
            generatorPadding = v;
            return this;
        }

        public ModelOptions build() {
            return new ModelOptions(resolution, numClasses, ngf, ndf, spadeCh, divisionCh, asppNf,
                    spectralNorm, noise, colorMapping, mappingNetwork, upsampling, generatorSpectralNorm,
                    generatorPadding);
        }
    }

    // One-field shorthands (the notebooks' ablations): {@code paper().withNoise(false)}.

    public ModelOptions withResolution(int v) {
        return with(b -> b.resolution(v));
    }

    public ModelOptions withNumClasses(int v) {
        return with(b -> b.numClasses(v));
    }

    public ModelOptions withNgf(int v) {
        return with(b -> b.ngf(v));
    }

    public ModelOptions withNdf(int v) {
        return with(b -> b.ndf(v));
    }

    public ModelOptions withSpadeCh(int v) {
        return with(b -> b.spadeCh(v));
    }

    public ModelOptions withDivisionCh(int v) {
        return with(b -> b.divisionCh(v));
    }

    public ModelOptions withAsppNf(int v) {
        return with(b -> b.asppNf(v));
    }

    public ModelOptions withSpectralNorm(boolean v) {
        return with(b -> b.spectralNorm(v));
    }

    public ModelOptions withNoise(boolean v) {
        return with(b -> b.noise(v));
    }

    public ModelOptions withColorMapping(boolean v) {
        return with(b -> b.colorMapping(v));
    }

    public ModelOptions withMappingNetwork(MappingNetwork v) {
        return with(b -> b.mappingNetwork(v));
    }

    public ModelOptions withUpsampling(Upsampling v) {
        return with(b -> b.upsampling(v));
    }

    /** Whether the generator's SN convs are normalised: spectralNorm and generatorSpectralNorm. */
    public boolean generatorUsesSpectralNorm() {
        return spectralNorm && generatorSpectralNorm;
    }

    public ModelOptions withGeneratorPadding(Padding v) {
        return with(b -> b.generatorPadding(v));
    }

    // ---- JSON --------------------------------------------------------------------------------

    /** Pretty JSON with every field, e.g. {@code {"resolution": 256, "ngf": 64, ...}}. */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJsonTree());
    }

    /** The options as a JSON object (field names = component names). */
    public JsonObject toJsonTree() {
        return RecordJson.tree(this);
    }

    /**
     * Parses options written by {@link #toJson()} (or by hand). Missing fields take the {@link
     * #paper()} value; unknown fields, wrong types and invalid values are errors that name the
     * field. Enum values are case-insensitive, and the original's {@code upsampling_mode} names
     * ({@code bilinear}, {@code nearest}, {@code subpx_conv}) are accepted.
     */
    public static ModelOptions fromJson(String json) {
        return fromJsonTree(RecordJson.parseObject(json, "model options"));
    }

    /** Options from a JSON object (see {@link #fromJson(String)}). */
    public static ModelOptions fromJsonTree(JsonObject json) {
        JsonObject merged = RecordJson.merge(paper().toJsonTree(), json, name -> "model options: unknown field '"
                + name + "'; known fields: " + Arrays.stream(ModelOptions.class.getRecordComponents())
                        .map(RecordComponent::getName).collect(Collectors.joining(", ")));
        return RecordJson.construct(ModelOptions.class, merged, ModelOptions::parseField);
    }

    /** Reads options from a JSON file; errors name the file. */
    public static ModelOptions fromJson(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The original's upsampling_mode names, then {@link RecordJson#field} with JSON types. */
    private static Object parseField(String name, Class<?> type, JsonElement v) {
        String option = "model option " + name;
        if (type == Upsampling.class && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
            String s = v.getAsString().trim().toUpperCase(Locale.ROOT);
            if (s.equals("SUBPX_CONV")) {
                return Upsampling.SUBPIXEL;
            }
            if (s.equals("DECONV")) {
                throw new IllegalArgumentException(option + ": expected "
                        + RecordJson.describe(type, RecordJson.Values.JSON) + ", got " + v + ": "
                        + "the original's deconvolution has stride 1 (kernel 3, pad 1), so it never "
                        + "enlarges and its generator would emit 4×4 images; see Upsample");
            }
        }
        return RecordJson.field(option, type, v, RecordJson.Values.JSON);
    }
}
