package org.spadeanime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spadeanime.io.BadInputException;
import org.spadeanime.label.LabelPalette;

/**
 * A folder of training examples, opened once: the format is detected ({@link DataFormat}), every
 * file header is checked (readable PNG, shapes, sizes, each image has its label), and pixels are
 * decoded only when a sample is asked for, so a 10,000-image set never sits decoded in the heap.
 *
 * <pre>{@code
 * AnimeDataset data = AnimeDataset.open(Path.of("data/synthetic"), DatasetOptions.defaults().withResolution(128));
 * DataSplit split = data.split(0, 0.1);                       // the original's 90 / 10
 * try (BatchStream train = split.train().stream(4, 0, true)) { // mirrored, reshuffled every epoch
 *     try (Batch b = train.next(manager)) { ... b.label(), b.condition(), b.target() ... }
 * }
 * }</pre>
 */
public final class AnimeDataset {

    private static final Logger LOG = LoggerFactory.getLogger(AnimeDataset.class);
    /** The palette file a data set folder may hold. */
    public static final String PALETTE_FILE = "palette.json";

    private final Path folder;
    private final DataFormat format;
    private final DatasetOptions options;
    private final LabelPalette palette;
    private final List<SampleSource> sources;
    private final List<String> skipped;
    private final List<String> ignored;
    private final Set<Integer> bad = ConcurrentHashMap.newKeySet();
    private final SampleDecoder decoder;

    private AnimeDataset(Path folder, DataFormat format, DatasetOptions options, LabelPalette palette,
                         List<SampleSource> sources, List<String> skipped, List<String> ignored) {
        this.ignored = List.copyOf(ignored);
        this.folder = folder;
        this.format = format;
        this.options = options;
        this.palette = palette;
        this.sources = List.copyOf(sources);
        this.skipped = Collections.synchronizedList(new ArrayList<>(skipped));
        this.decoder = new SampleDecoder(palette, options.resolution());
    }

    /** Opens a folder with {@link DatasetOptions#defaults()}. */
    public static AnimeDataset open(Path folder) throws IOException {
        return open(folder, DatasetOptions.defaults());
    }

    /** Opens a folder: detects the format, lists and checks the files (headers only). */
    public static AnimeDataset open(Path folder, DatasetOptions options) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new BadInputException(folder, "no such folder (expected a data set folder: triplet PNGs, or images/"
                    + " and labels/ subfolders)");
        }
        LabelPalette palette = options.palette();
        Path paletteFile = folder.resolve(PALETTE_FILE);
        if (palette == null) {
            palette = Files.isRegularFile(paletteFile) ? LabelPalette.load(paletteFile) : LabelPalette.anime();
        }
        if (!palette.hasHair()) {
            throw new BadInputException(options.palette() == null ? paletteFile : folder, "the palette " + palette
                    + " has no class named '" + LabelPalette.HAIR + "'; the hair-colour condition is masked by it");
        }
        boolean folders = Files.isDirectory(folder.resolve("images")) || Files.isDirectory(folder.resolve("labels"));
        List<String> ignored = new ArrayList<>();
        List<SampleSource> candidates = folders ? folderSources(folder, options.skipBad(), ignored)
                : tripletSources(folder, ignored);
        if (!ignored.isEmpty()) {
            LOG.warn("{}: ignored {} entr{} that {} not PNG files: {}", folder, ignored.size(),
                    ignored.size() == 1 ? "y" : "ies", ignored.size() == 1 ? "is" : "are", String.join("; ", ignored));
        }
        List<SampleSource> ok = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SampleSource s : candidates) {
            try {
                s.check();
                ok.add(s);
            } catch (BadInputException e) {
                if (!options.skipBad()) {
                    throw e;
                }
                LOG.warn("skipping: {}", e.getMessage());
                skipped.add(e.getMessage());
            }
        }
        if (ok.isEmpty()) {
            throw new BadInputException(folder, "no usable samples (" + skipped.size() + " skipped as bad)");
        }
        return new AnimeDataset(folder, folders ? DataFormat.FOLDERS : DataFormat.TRIPLETS, options, palette, ok, skipped,
                ignored);
    }

    private static List<SampleSource> tripletSources(Path folder, List<String> ignored) throws IOException {
        List<Path> pngs = pngs(folder, ignored);
        if (pngs.isEmpty()) {
            throw new BadInputException(folder, "empty data set folder: expected triplet PNGs [illustration | label |"
                    + " hair-colour map] of width 3×height, or images/ and labels/ subfolders");
        }
        List<SampleSource> out = new ArrayList<>();
        for (Path p : pngs) {
            out.add(new TripletFile(stem(p), p));
        }
        return out;
    }

    private static List<SampleSource> folderSources(Path folder, boolean skipBad, List<String> ignored)
            throws IOException {
        Path images = folder.resolve("images");
        Path labels = folder.resolve("labels");
        for (Path sub : List.of(images, labels)) {
            if (!Files.isDirectory(sub)) {
                throw new BadInputException(sub, "missing: the folder format needs images/ and labels/ (and optional"
                        + " colors/) holding PNGs with matching file names");
            }
        }
        Path colours = Files.isDirectory(folder.resolve("colors")) ? folder.resolve("colors")
                : Files.isDirectory(folder.resolve("colours")) ? folder.resolve("colours") : null;
        List<Path> imageFiles = pngs(images, ignored);
        if (imageFiles.isEmpty()) {
            throw new BadInputException(images, "empty folder: expected PNG illustrations (with labels of the same"
                    + " file names in labels/)");
        }
        Map<String, Path> labelByName = byStem(labels, ignored);
        Map<String, Path> colourByName = colours == null ? Map.of() : byStem(colours, ignored);
        List<SampleSource> out = new ArrayList<>();
        int derived = 0;
        for (Path img : imageFiles) {
            String name = stem(img);
            Path label = labelByName.remove(name);
            if (label == null) {
                BadInputException e = new BadInputException(img, "this image has no label: expected "
                        + labels.resolve(name + ".png"));
                if (!skipBad) {
                    throw e;
                }
                LOG.warn("skipping: {}", e.getMessage());
                continue;
            }
            Path colour = colourByName.get(name);
            if (colour == null) {
                derived++;
            }
            out.add(new FolderSample(name, img, label, colour));
        }
        if (!labelByName.isEmpty()) {
            LOG.warn("{}: {} label(s) without an image are ignored, e.g. {}", labels, labelByName.size(),
                    labelByName.values().iterator().next().getFileName());
        }
        if (colours != null && derived > 0) {
            LOG.warn("{}: {} image(s) have no colour map; their hair colour is derived from the illustration", colours, derived);
        }
        return out;
    }

    /**
     * The PNG files of {@code dir}, sorted. What else is there is added to {@code ignored} with the
     * reason (an image in another format, a folder named like a PNG, a dangling or looping link),
     * except hidden entries and the data set's own files (palette.json, images/ ...).
     */
    private static List<Path> pngs(Path dir, List<String> ignored) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String name = p.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (name.startsWith(".") || OWN_ENTRIES.contains(lower)) {
                    continue;
                }
                boolean png = lower.endsWith(".png");
                if (png && Files.isRegularFile(p)) {
                    out.add(p);
                } else if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                    ignored.add(name + " (a symbolic link to nothing readable: dangling or looping)");
                } else if (png) {
                    ignored.add(name + " (a folder or special file, not a PNG file)");
                } else if (Files.isRegularFile(p)) {
                    int dot = name.lastIndexOf('.');
                    String ext = dot < 0 ? "no extension" : name.substring(dot + 1);
                    ignored.add(name + (IMAGE_EXTENSIONS.contains(ext.toLowerCase(Locale.ROOT))
                            ? " (a " + ext + " image: the kit reads PNG only; convert it)" : " (not a .png file)"));
                } else if (Files.isDirectory(p)) {
                    ignored.add(name + "/ (a folder; data set folders hold PNGs, or images/, labels/ and colors/)");
                }
            }
        }
        return out;
    }

    /** Entries a data set folder may hold besides its PNGs. */
    private static final Set<String> OWN_ENTRIES = Set.of(PALETTE_FILE, "images", "labels", "colors", "colours",
            "readme", "readme.md", "readme.txt", "license", "license.txt");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff");

    private static Map<String, Path> byStem(Path dir, List<String> ignored) throws IOException {
        Map<String, Path> m = new HashMap<>();
        for (Path p : pngs(dir, ignored)) {
            m.put(stem(p), p);
        }
        return m;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.length() - 4);
    }

    public Path folder() {
        return folder;
    }

    public DataFormat format() {
        return format;
    }

    public DatasetOptions options() {
        return options;
    }

    public LabelPalette palette() {
        return palette;
    }

    /** Side length of the samples. */
    public int resolution() {
        return options.resolution();
    }

    /** Number of examples (before mirroring), in file-name order. */
    public int size() {
        return sources.size();
    }

    /** The name of example {@code index} (its file name without extension). */
    public String name(int index) {
        return sources.get(index).name();
    }

    /** The main file of example {@code index}. */
    public Path file(int index) {
        return sources.get(index).file();
    }

    /** Entries of the folder that are not PNG files, each with the reason (logged once when opened). */
    public List<String> ignored() {
        return ignored;
    }

    /** Messages of the files skipped as bad (only with {@link DatasetOptions#skipBad()}). */
    public List<String> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    /** Decodes example {@code index} at the data set's resolution, mirrored or not. */
    public Sample sample(int index, boolean mirrored) throws IOException {
        SampleSource src = sources.get(index);
        Sample s = decoder.decode(src.name(), src.read());
        return mirrored ? s.mirror() : s;
    }

    /**
     * Like {@link #sample}, but with {@link DatasetOptions#skipBad()} a bad example is logged,
     * remembered and replaced by the next good one of {@code order} (starting after {@code at}).
     */
    Sample sampleOrNext(int[] order, int at, boolean mirrored) throws IOException {
        for (int k = 0; k < order.length; k++) {
            int index = order[(at + k) % order.length];
            if (bad.contains(index)) {
                continue;
            }
            try {
                return sample(index, mirrored);
            } catch (BadInputException e) {
                skipOrThrow(index, e);
            }
        }
        throw new BadInputException(folder, "every sample of this selection is bad (see the log)");
    }

    /** Without {@link DatasetOptions#skipBad()}: rethrows; with it: logs and remembers the example once. */
    private void skipOrThrow(int index, BadInputException e) throws BadInputException {
        if (!options.skipBad()) {
            throw e;
        }
        if (bad.add(index)) {
            LOG.warn("skipping: {}", e.getMessage());
            skipped.add(e.getMessage());
        }
    }

    /** All examples in file-name order. */
    public DataView all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return new DataView(this, idx, "all");
    }

    /**
     * A deterministic split: the examples are shuffled with {@code new Random(seed)} (Fisher–Yates),
     * the last {@code round(validFraction · n)} go to the validation view (at least one when the
     * fraction is positive and there are two or more examples), the rest to training. The original
     * used 10 % (and split after mirroring; here mirror twins stay on the same side).
     */
    public DataSplit split(long seed, double validFraction) {
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new IllegalArgumentException("validFraction " + validFraction + ": expected 0 ≤ f < 1");
        }
        int n = size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        shuffle(idx, new Random(seed));
        int valid = (int) Math.round(validFraction * n);
        if (validFraction > 0 && n >= 2) {
            valid = Math.max(1, Math.min(n - 1, valid));
        }
        int[] train = java.util.Arrays.copyOfRange(idx, 0, n - valid);
        int[] val = java.util.Arrays.copyOfRange(idx, n - valid, n);
        return new DataSplit(new DataView(this, train, "train"), new DataView(this, val, "valid"));
    }

    /** Fisher–Yates with {@code rnd.nextInt} (the same sequence on every JVM). */
    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Decodes every example once and summarises the labels: a check
     * of a new data set before training. Bad files fail, or are listed with {@code skipBad}.
     */
    public DatasetReport validate() throws IOException {
        long[] classPixels = new long[palette.channels() + 1];
        long unmatched = 0;
        long pixels = 0;
        double worst = 0;
        String worstName = null;
        int good = 0;
        for (int i = 0; i < size(); i++) {
            SampleSource src = sources.get(i);
            try {
                SourceImages img = src.read();
                var label = decoder.decodeLabel(img);
                for (int c = 0; c < classPixels.length; c++) {
                    classPixels[c] += label.count(c);
                }
                unmatched += label.unmatched();
                pixels += (long) img.size() * img.size();
                if (label.unmatchedFraction() > worst || worstName == null) {
                    worst = label.unmatchedFraction();
                    worstName = src.name();
                }
                good++;
            } catch (BadInputException e) {
                skipOrThrow(i, e);
            }
        }
        double[] fractions = new double[classPixels.length];
        for (int c = 0; c < fractions.length; c++) {
            fractions[c] = pixels == 0 ? 0 : classPixels[c] / (double) pixels;
        }
        return new DatasetReport(good, skipped(), pixels == 0 ? 0 : unmatched / (double) pixels, worst, worstName, fractions);
    }

    @Override
    public String toString() {
        return "AnimeDataset[" + folder + ", " + format + ", " + size() + " samples at " + resolution() + "², " + palette + "]";
    }
}
