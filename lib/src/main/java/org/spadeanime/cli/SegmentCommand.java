package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.infer.Segmentation;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;
import org.spadeanime.io.PngFiles;
import org.spadeanime.label.LabelCodec;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.Segmenter;
import org.spadeanime.segment.TrainedSegmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segment}: your own illustrations → a rough label data set, as the original's "rough" set was made. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Labels illustrations with a trained segmenter and writes a data set the kit reads (images/, "
                + "labels/, palette.json), e.g. for `train --rough-data DIR`. Labels are read at the segmenter's "
                + "resolution and scaled back to each image's size: rough at region borders."})
public final class SegmentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "illustration PNGs or folders of them")
    List<Path> inputs;

    @Option(names = "--from", paramLabel = "DIR", defaultValue = "weights/segment",
            description = "a segmenter folder, as train-segmenter writes it (default ${DEFAULT-VALUE})")
    Path from;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the data set folder to write")
    Path out;

    @CommandLine.Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        engine.applyThreads();
        List<Path> files = PngFiles.expand(inputs, "illustration PNGs");
        Set<String> names = new HashSet<>();
        for (Path f : files) {
            if (!names.add(f.getFileName().toString())) {
                throw new BadInputException(f, "a second input of this file name (the data set matches images and "
                        + "labels by name)");
            }
        }
        TrainedSegmenter trained = TrainedSegmenter.read(from);
        LabelPalette palette = trained.palette();
        LabelCodec codec = new LabelCodec(palette);
        int[] classCount = new int[palette.channels() + 1];
        try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device(engine.device))) {
            Segmenter net = trained.load(manager);
            AtomicFiles.writeFolder(out, tmp -> {
                Files.createDirectories(tmp.resolve("images"));
                Files.createDirectories(tmp.resolve("labels"));
                Files.writeString(tmp.resolve(AnimeDataset.PALETTE_FILE), palette.toJson());
                for (Path f : files) {
                    BufferedImage img = Png.toRgb(Png.read(f));
                    var labels = Segmentation.label(net, img, manager);
                    for (int c = 0; c <= palette.channels(); c++) {
                        classCount[c] += labels.count(c);
                    }
                    String name = f.getFileName().toString();
                    Png.write(img, tmp.resolve("images").resolve(name));
                    Png.write(codec.toImage(labels), tmp.resolve("labels").resolve(name));
                }
            });
        }
        long total = Arrays.stream(classCount).asLongStream().sum();
        StringBuilder share = new StringBuilder();
        for (int c = 0; c <= palette.channels(); c++) {
            String name = c == 0 ? LabelPalette.BACKGROUND : palette.classes().get(c - 1).name();
            share.append(String.format(" %s %.0f%%", name, 100.0 * classCount[c] / Math.max(1, total)));
        }
        log.println("wrote " + files.size() + " labelled images to " + out + " (images/, labels/, palette.json);"
                + share + " of pixels");
        return 0;
    }
}
