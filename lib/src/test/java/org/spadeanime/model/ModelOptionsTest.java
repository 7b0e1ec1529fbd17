package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.model.ModelOptions.MappingNetwork;
import org.spadeanime.model.ModelOptions.Upsampling;

class ModelOptionsTest {

    @Test
    void paperHasTheOriginalDefaults() {
        ModelOptions p = ModelOptions.paper();
        assertEquals(256, p.resolution());
        assertEquals(4, p.numClasses());
        assertEquals(64, p.ngf());
        assertEquals(64, p.ndf());
        assertEquals(32, p.spadeCh());
        assertEquals(8, p.divisionCh());
        assertTrue(p.spectralNorm() && p.noise() && p.colorMapping());
        assertEquals(MappingNetwork.CONSTANT_FCN, p.mappingNetwork());
        assertEquals(Upsampling.BILINEAR, p.upsampling());
        assertEquals(7, p.numBlocks());
        int[] out = new int[7];
        for (int i = 0; i < 7; i++) {
            out[i] = p.blockOutChannels(i);
        }
        assertEquals("[512, 512, 512, 256, 128, 64, 32]", java.util.Arrays.toString(out));
        assertEquals(512, p.blockInChannels(0));
        assertEquals(256, p.blockSize(6));
        assertFalse(p.blockUsesColorMap(4));
        assertTrue(p.blockUsesColorMap(5) && p.blockUsesColorMap(6));
        assertEquals(10, p.discriminatorInputChannels());
        assertEquals(30, p.patchSize());
    }

    @Test
    void derivedSizesAtSmallerResolutions() {
        ModelOptions t = ModelOptions.tiny();
        assertEquals(64, t.resolution());
        assertEquals(5, t.numBlocks());
        assertEquals(6, ModelOptions.paper().withResolution(128).numBlocks());
        assertEquals(4, t.blockOutChannels(4)); // ngf/2
        assertEquals(6, t.patchSize());
        assertEquals(4, t.withMappingNetwork(MappingNetwork.NONE).labelMappingChannels());
        assertEquals(3, t.withMappingNetwork(MappingNetwork.NONE).colorMappingChannels());
    }

    @Test
    void presetsByName() {
        assertEquals(ModelOptions.tiny(), ModelOptions.preset("tiny"));
        assertEquals(ModelOptions.paper(), ModelOptions.preset(" Paper "));
        assertEquals(128, ModelOptions.preset("mid").resolution());
        assertEquals(32, ModelOptions.preset("mid").ngf());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelOptions.preset("huge"));
        assertEquals("model preset 'huge': expected tiny, cpu128, mid or paper", e.getMessage());
    }

    @Test
    void jsonRoundTripAndWithCopies() {
        ModelOptions o = ModelOptions.tiny().withNoise(false).withUpsampling(Upsampling.SUBPIXEL)
                .withMappingNetwork(MappingNetwork.ASPP).withAsppNf(16).withDivisionCh(4)
                .withNumClasses(5).withSpectralNorm(false).withColorMapping(false);
        assertEquals(o, ModelOptions.fromJson(o.toJson()));
        assertEquals(ModelOptions.paper(), ModelOptions.fromJson(ModelOptions.paper().toJson()));
        assertTrue(o.toString().contains("upsampling=SUBPIXEL"), o.toString());
        assertTrue(o.toJson().contains("\"ngf\": 8"), o.toJson());
    }

    @Test
    void missingFieldsTakePaperDefaultsAndOriginalNamesAreAccepted() {
        ModelOptions o = ModelOptions.fromJson("{\"ngf\": 32, \"upsampling\": \"subpx_conv\"}");
        assertEquals(ModelOptions.paper().withNgf(32).withUpsampling(Upsampling.SUBPIXEL), o);
        assertEquals(Upsampling.NEAREST, ModelOptions.fromJson("{\"upsampling\": \"nearest\"}").upsampling());
    }

    @Test
    void badJsonNamesTheFieldAndWhatWasExpected() {
        assertMessage("{\"ngff\": 3}", "unknown field 'ngff'");
        assertMessage("{\"ngf\": \"64\"}", "ngf: expected an integer, got \"64\"");
        assertMessage("{\"ngf\": 6.5}", "ngf: expected an integer, got 6.5");
        assertMessage("{\"noise\": \"yes\"}", "noise: expected true or false");
        assertMessage("{\"upsampling\": \"bicubic\"}", "upsampling: expected one of [BILINEAR, NEAREST, SUBPIXEL]");
        assertMessage("{\"upsampling\": \"deconv\"}", "never enlarges");
        assertMessage("{\"resolution\": 512}", "resolution: expected 64, 128 or 256, got 512");
        assertMessage("{\"ngf\": 7}", "ngf: expected an even number");
        assertMessage("{\"spadeCh\": 12}", "spadeCh: expected a multiple of 8");
        assertMessage("{\"divisionCh\": 3}", "divisionCh: expected a divisor");
        assertMessage("[1, 2]", "expected a JSON object");
        assertMessage("{\"ngf\": ", "not valid JSON");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("opts.json");
        Files.writeString(f, "{\"ndf\": 0}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelOptions.fromJson(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("ndf"), e.getMessage());
    }

    private static void assertMessage(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelOptions.fromJson(json));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    /** generatorSpectralNorm off: G's convs are plain (no u, v), D's stay normalised; spectralNorm off: neither. */
    @Test
    void generatorSpectralNormSwitchesTheGeneratorOnly() {
        ModelOptions o = ModelOptions.tiny().with(b -> b.generatorSpectralNorm(false));
        assertEquals(0, vectors(new SpadeGenerator(o)));
        assertTrue(vectors(new PatchDiscriminator(o)) > 0);
        assertTrue(vectors(new SpadeGenerator(ModelOptions.tiny())) > 0);
        ModelOptions none = ModelOptions.tiny().withSpectralNorm(false);
        assertFalse(none.generatorUsesSpectralNorm());
        assertEquals(0, vectors(new PatchDiscriminator(none)));
        assertEquals(o, ModelOptions.fromJson(o.toJson()));
    }

    /** Spectral-norm power-iteration vectors (u) among a network's parameters. */
    private static long vectors(ai.djl.nn.Block net) {
        return net.getParameters().keys().stream().filter(k -> k.endsWith("_u") || k.endsWith(".u") || k.equals("u")).count();
    }
}
