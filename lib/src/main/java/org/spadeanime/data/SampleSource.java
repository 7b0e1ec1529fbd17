package org.spadeanime.data;

import java.io.IOException;
import java.nio.file.Path;

/** Where one example's pixels come from: a triplet PNG, or an image/label(/colour) file group. */
interface SampleSource {

    /** The example's name (the file name without extension). */
    String name();

    /** The main file, named in messages. */
    Path file();

    /** Checks the file headers (readable PNG, sizes) without decoding pixels. */
    void check() throws IOException;

    /** Decodes the pixels. */
    SourceImages read() throws IOException;
}
