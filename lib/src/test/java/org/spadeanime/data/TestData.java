package org.spadeanime.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.spadeanime.DjlRuntime;
import org.spadeanime.io.Png;

/** Writes data set fixtures (real PNG files) for the tests. */
final class TestData {

    private static NDManager manager;

    private TestData() {}

    /** One CPU manager for all data tests (the engine starts once per test JVM). */
    static synchronized NDManager manager() {
        if (manager == null) {
            DjlRuntime.init();
            manager = NDManager.newBaseManager(Device.cpu());
        }
        return manager;
    }

    /** An image from row-major 0xRRGGBB pixels. */
    static BufferedImage image(int[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    /** A triplet PNG [illustration | label | colour map] from three square pixel arrays. */
    static void triplet(Path file, int size, int[] illustration, int[] label, int[] colour) throws IOException {
        BufferedImage t = new BufferedImage(3 * size, size, BufferedImage.TYPE_INT_RGB);
        t.setRGB(0, 0, size, size, illustration, 0, size);
        t.setRGB(size, 0, size, size, label, 0, size);
        t.setRGB(2 * size, 0, size, size, colour, 0, size);
        Png.write(t, file);
    }

    /** Synthetic samples 0..n-1 as triplets in {@code dir}. */
    static void syntheticTriplets(Path dir, int n, int size, long seed) throws IOException {
        new SyntheticAnime(size).write(dir, 0, n, seed, 2, k -> { });
    }

    /** Synthetic samples 0..n-1 in the folder format, with or without colors/. */
    static void syntheticFolders(Path dir, int n, int size, long seed, boolean colours) throws IOException {
        SyntheticAnime g = new SyntheticAnime(size);
        for (int i = 0; i < n; i++) {
            SyntheticSample s = g.render(seed, i);
            String name = "bust-" + i + ".png";
            Png.write(s.illustration(), dir.resolve("images").resolve(name));
            Png.write(s.label(), dir.resolve("labels").resolve(name));
            if (colours) {
                Png.write(s.colourMap(), dir.resolve("colors").resolve(name));
            }
        }
    }
}
