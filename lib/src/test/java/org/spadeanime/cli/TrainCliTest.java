package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.io.Png;
import org.spadeanime.infer.Predictor;

/** train, resume, predict, tile, evaluate and export from the command line: a real run, and bad flags and files. */
class TrainCliTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void synth() throws IOException {
        data = tmp.resolve("synthetic");
        new SyntheticAnime(64).write(data, 0, 24, 5, 2, n -> { });
    }

    /** Exit code, stdout and stderr of one command line. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void trainThenTileAndPredict() throws IOException {
        Path runDir = tmp.resolve("run");
        Result t = run("train", "--preset", "tiny", "--data", data.toString(), "--run", runDir.toString(),
                "--steps", "4", "--batch", "2", "--threads", "1", "--set", "tileEvery=4", "--set", "checkpointEvery=4",
                "--set", "perceptualCoef=0", "--set", "logEvery=2", "--set", "iterations=6", "--rough-data", data.toString());
        assertEquals(0, t.code(), t.err());
        var rows = org.spadeanime.train.MetricsLog.read(runDir.resolve("metrics.csv"));
        assertEquals(4, rows.size());
        assertTrue(Double.isFinite(rows.get(3).roughD()) && Double.isFinite(rows.get(3).roughG()), "rough updates ran");
        assertTrue(t.out().contains("step 4/4"), t.out());
        assertTrue(t.out().contains("steps/s") && t.out().contains("ETA"), t.out());
        Path runTile = runDir.resolve("tiles/step-00000004.png");
        BufferedImage tile = Png.read(runTile);
        assertEquals(3 * 64, tile.getWidth(), "[label | real | generated]");
        assertEquals(3 * 64, tile.getHeight(), "1 train + 2 valid rows");

        Path redrawn = tmp.resolve("tile.png");
        Result tl = run("tile", "--from", runDir.toString(), "--out", redrawn.toString(), "--device", "cpu");
        assertEquals(0, tl.code(), tl.err());
        assertArrayEquals(pixels(tile), pixels(Png.read(redrawn)), "the tile command redraws the run's tile exactly");

        Path scores = tmp.resolve("scores.csv");
        Result ev = run("evaluate", "--from", runDir.toString(), "--csv", scores.toString(), "--device", "cpu");
        assertEquals(0, ev.code(), ev.err());
        Matcher m = Pattern.compile("validation split of .*, (\\d+) images: L1 (\\d\\.\\d{4}),").matcher(ev.out());
        assertTrue(m.find(), ev.out());
        List<String> csvRows = Files.readAllLines(scores, StandardCharsets.UTF_8);
        assertEquals("image,L1,PSNR (dB),hair ΔE2000,real hair ΔE2000,frame ΔE2000,real frame ΔE2000,background ΔE2000,"
                + "halo ΔE2000,real halo ΔE2000,checkerboard,real checkerboard,checkerboard ratio,real checkerboard ratio",
                csvRows.get(0));
        assertEquals(Integer.parseInt(m.group(1)), csvRows.size() - 1, "a row per validation image");
        double meanL1 = csvRows.stream().skip(1).mapToDouble(r -> Double.parseDouble(r.split(",")[1])).average().orElseThrow();
        assertEquals(String.format(Locale.ROOT, "%.4f", meanL1), m.group(2), "the summary is the mean of the rows");
        Path weights = tmp.resolve("weights");
        assertEquals(0, run("export", "--from", runDir.toString(), "--out", weights.toString()).code());
        Result evWeights = run("evaluate", "--from", weights.toString(), "--device", "cpu", "--references");
        assertEquals(0, evWeights.code(), evWeights.err());
        assertTrue(evWeights.out().contains(m.group()), "exported weights score the same:\n" + evWeights.out());
        for (String reference : List.of("flat class colours", "the real illustrations with a flat background",
                "the real illustrations box-blurred 3×3")) {
            assertTrue(Pattern.compile("(?m)^reference, " + reference + ".*, " + m.group(1) + " images: L1 \\d\\.\\d{4},")
                    .matcher(evWeights.out()).find(), "--references scores the same split:\n" + evWeights.out());
        }
        Path weightsTile = tmp.resolve("weights-tile.png");
        assertEquals(0, run("tile", "--from", weights.toString(), "--out", weightsTile.toString(), "--device", "cpu").code());
        assertArrayEquals(pixels(tile), pixels(Png.read(weightsTile)), "exported weights draw the run's tile");

        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        BufferedImage triplet = Png.read(Files.list(data).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().get());
        Png.write(triplet.getSubimage(64, 0, 64, 64), inputs.resolve("label-only.png"));
        Png.write(triplet.getSubimage(64, 0, 128, 64), inputs.resolve("label-and-colour.png"));
        Path out = tmp.resolve("predictions");
        Result p = run("predict", inputs.toString(), "--from", runDir.toString(), "--out", out.toString(), "--seed", "3",
                "--device", "cpu");
        assertEquals(0, p.code(), p.err());
        for (String name : new String[] {"label-only", "label-and-colour"}) {
            BufferedImage img = Png.read(out.resolve(name + ".png"));
            assertEquals(128, img.getWidth(), "[label | generated]");
            assertEquals(64, img.getHeight());
        }
        Result again = run("predict", inputs.resolve("label-only.png").toString(), "--from", runDir.toString(), "--out",
                tmp.resolve("again").toString(), "--seed", "3", "--device", "cpu");
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(pixels(Png.read(out.resolve("label-only.png"))),
                pixels(Png.read(tmp.resolve("again/label-only.png"))), "the seed fixes hair colour and noise");

        // A weights folder works like a run; a 256² label (and a 512×256 [label | colour]) is written at its size.
        Path big = Files.createDirectories(tmp.resolve("inputs-256"));
        Png.write(Predictor.scaled(triplet.getSubimage(64, 0, 64, 64), 256, false), big.resolve("label-only.png"));
        BufferedImage pair = new BufferedImage(512, 256, BufferedImage.TYPE_INT_RGB);
        pair.createGraphics().drawImage(triplet.getSubimage(64, 0, 128, 64), 0, 0, 512, 256, null);
        Png.write(pair, big.resolve("label-and-colour.png"));
        Result w = run("predict", big.toString(), "--from", weights.toString(), "--out", tmp.resolve("p256").toString(),
                "--seed", "3", "--device", "cpu");
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("drawing with the averaged generator of step 4"), w.out());
        assertTrue(w.out().contains("generated at the model's 64², upsampled to the input's 256² (bicubic; --size model"
                + " writes 64²)"), w.out());
        assertEquals(1, w.out().split("upsampled", -1).length - 1, "said once for both inputs:\n" + w.out());
        for (String name : new String[] {"label-only", "label-and-colour"}) {
            BufferedImage img = Png.read(tmp.resolve("p256").resolve(name + ".png"));
            assertEquals(512, img.getWidth(), "[label | generated] at the input's size");
            assertEquals(256, img.getHeight());
        }
        Result atModel = run("predict", big.resolve("label-only.png").toString(), "--from", weights.toString(), "--out",
                tmp.resolve("p64").toString(), "--seed", "3", "--size", "model", "--device", "cpu");
        assertEquals(0, atModel.code(), atModel.err());
        BufferedImage small = Png.read(tmp.resolve("p64/label-only.png"));
        assertEquals(128, small.getWidth());
        assertEquals(64, small.getHeight());
        assertArrayEquals(pixels(Png.read(out.resolve("label-only.png")).getSubimage(64, 0, 64, 64)),
                pixels(small.getSubimage(64, 0, 64, 64)), "the same drawing from the weights folder as from the run");
        expect(run("predict", big.toString(), "--from", weights.toString(), "--size", "huge"), 2,
                "--size: size 'huge': expected input or model");

        Result r = run("resume", "--run", runDir.toString(), "--steps", "1", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints/step-00000005")), r.out());
        Result rest = run("resume", "--run", runDir.toString(), "--threads", "1");
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().contains("from step 5 to 6"), "without --steps: all remaining iterations\n" + rest.out());
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints/step-00000006")), rest.out());
    }

    @Test
    void skipBadTrainsPastABrokenFileAndAFailedStartLeavesNoRunFolder() throws IOException {
        Path broken = tmp.resolve("broken-data");
        new SyntheticAnime(64).write(broken, 0, 12, 5, 2, n -> { });
        Path bad = broken.resolve(Files.list(broken).filter(p -> p.toString().endsWith(".png")).sorted().findFirst()
                .orElseThrow().getFileName());
        Files.writeString(bad, "not a PNG");
        String[] common = {"--preset", "tiny", "--data", broken.toString(), "--steps", "2", "--batch", "2",
            "--threads", "1", "--set", "tileEvery=0", "--set", "perceptualCoef=0", "--set", "checkpointEvery=2"};
        Path failed = tmp.resolve("failed-run");
        Result r = run(concat(new String[] {"train", "--run", failed.toString()}, common));
        expect(r, 1, bad + ": not a readable PNG");
        assertTrue(Files.notExists(failed), "a run that never started leaves no folder with only options.json");

        Path skipping = tmp.resolve("skipping-run");
        r = run(concat(new String[] {"train", "--run", skipping.toString(), "--skip-bad"}, common));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipping: " + bad + ": not a readable PNG"), "each skipped file is named: " + r.err());
        assertTrue(Files.readString(skipping.resolve("options.json")).contains("\"skipBad\": true"), "kept for resume");
        // the run-root metrics.csv is whole after a checkpoint: the checkpoint's copy, byte for byte
        assertArrayEquals(Files.readAllBytes(skipping.resolve("checkpoints/step-00000002/metrics.csv")),
                Files.readAllBytes(skipping.resolve("metrics.csv")));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badFlagsAndFilesGiveAClearMessageAndAnErrorExit() throws IOException {
        Path r = tmp.resolve("bad-run");
        expect(run("train", "--data", data.toString()), 2, "Missing required option: '--run=DIR'");
        expect(run("train", "--run", r.toString(), "--set", "lrG=-1"), 2, "train option lrG: expected a finite value >= 0");
        expect(run("train", "--run", r.toString(), "--set", "lr=1"), 2, "unknown train option 'lr'");
        expect(run("train", "--run", r.toString(), "--set", "lrG"), 2, "expected NAME=VALUE");
        expect(run("train", "--run", r.toString(), "--preset", "huge"), 2, "preset 'huge': expected tiny, cpu128, cpu128-l1, mid or paper");
        expect(run("train", "--run", r.toString(), "--batch", "two"), 2, "Invalid value for option '--batch'");
        expect(run("train", "--run", r.toString(), "--data", tmp.resolve("nowhere").toString()), 1, "no such data folder");
        expect(run("train", "--run", r.toString(), "--options", tmp.resolve("none.json").toString()), 1,
                "none.json: no such file");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"nDis\": 0}");
        expect(run("train", "--run", r.toString(), "--options", broken.toString()), 2, "train option nDis");
        expect(run("resume", "--run", tmp.resolve("nowhere").toString()), 1, "no such run folder");
        expect(run("resume", "--run", r.toString(), "--device", "tpu"), 2, "train option device");
        expect(run("resume", "--run", r.toString(), "--steps", "0"), 2, "--steps 0: expected at least 1");
        expect(run("resume", "--run", Files.createDirectories(tmp.resolve("no-checkpoints")).toString()), 1,
                "no checkpoint to resume from");
        expect(run("predict", "x.png", "--from", tmp.resolve("nowhere").toString()), 1, "nowhere: no such folder");
        expect(run("tile", "--from", r.toString(), "--mode", "sharp"), 2, "expected batch-statistics or inference");
        expect(run("evaluate", "--from", tmp.resolve("nowhere").toString()), 1,
                "nowhere: no such folder (expected a weights, run or checkpoint folder)");
        expect(run("evaluate", "--from", tmp.toString()), 1, "neither a weights folder (weights.json), a run folder");
        Path noDescription = Files.createDirectories(tmp.resolve("no-description"));
        Files.writeString(noDescription.resolve("generator.ckpt"), "a generator without its weights.json");
        expect(run("tile", "--from", noDescription.toString()), 1, "holds generator.ckpt but no weights.json, so it is"
                + " not a weights folder (export writes both");
    }

    private static void expect(Result r, int code, String text) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().contains(text), "stderr should contain '" + text + "': " + r.err());
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
