package org.spadeanime.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;

/** A strict PNG reader for tests: the signature, every chunk's length and CRC, IEND last and nothing after it. */
final class PngCheck {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngCheck() {}

    /** Returns null for a complete PNG (base64, as in a notebook), else what is wrong with it. */
    static String problem(String base64) {
        byte[] png;
        try {
            png = Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return "not base64: " + e.getMessage();
        }
        if (png.length < 8 || !Arrays.equals(Arrays.copyOf(png, 8), SIGNATURE)) {
            return "no PNG signature";
        }
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        while (b.remaining() > 0) {
            if (b.remaining() < 12) {
                return "truncated chunk header at byte " + b.position();
            }
            int length = b.getInt();
            int start = b.position();
            if (length < 0 || b.remaining() < length + 8) {
                return "truncated chunk at byte " + (start - 4) + " (" + b.remaining() + " bytes left, " + (length + 8) + " needed)";
            }
            String type = new String(png, start, 4, StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(png, start, 4 + length);
            b.position(start + 4 + length);
            if ((int) crc.getValue() != b.getInt()) {
                return "bad CRC in chunk " + type;
            }
            if (type.equals("IEND")) {
                return b.remaining() == 0 ? null : b.remaining() + " bytes after IEND";
            }
        }
        return "no IEND chunk";
    }
}
