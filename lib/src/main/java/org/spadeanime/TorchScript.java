package org.spadeanime;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads a TorchScript module the kit ships as a class-path resource (made with Debian's torch). */
public final class TorchScript {

    private TorchScript() {}

    /**
     * The module at class-path {@code resource} (absolute, e.g. {@code /org/spadeanime/loss/x.pt}) as
     * a PyTorch-engine model named {@code name}; close the model when done (it holds the module).
     */
    public static Model load(String name, String resource) {
        DjlRuntime.init();
        Model model = Model.newInstance(name, "PyTorch");
        try (InputStream in = TorchScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the jar");
            }
            model.load(in);
            return model;
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new UncheckedIOException(new IOException("cannot load the TorchScript module " + resource
                    + ": " + e.getMessage(), e));
        }
    }
}
