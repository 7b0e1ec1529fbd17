package org.spadeanime.train;

import ai.djl.nn.Parameter;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.spadeanime.model.ModelSummary;
import org.spadeanime.model.SpadeNetwork;

/**
 * Writes a network as format-1 ModelCheckpoint files were written before the kit checked anything:
 * no digest, no finiteness check. The poisoned files users may still have, for the readers' tests.
 */
final class LegacyCheckpoints {

    private LegacyCheckpoints() {}

    static Path writeUnchecked(Path file, SpadeNetwork net) throws IOException {
        Map<String, Parameter> params = ModelSummary.parameters(net);
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
            out.write("SPADE-ANIME-CKPT".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(1);
            out.writeUTF(net.getClass().getSimpleName());
            byte[] options = net.options().toJson().getBytes(StandardCharsets.UTF_8);
            out.writeInt(options.length);
            out.write(options);
            out.writeInt(params.size());
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                out.writeUTF(p.getKey());
                long[] dims = p.getValue().getArray().getShape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
            }
            net.saveParameters(out);
        }
        return file;
    }
}
