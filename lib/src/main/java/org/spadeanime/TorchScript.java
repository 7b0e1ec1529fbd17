package org.spadeanime;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
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

    /**
     * Runs a loaded module's forward on {@code inputs} in training mode (so autograd records it),
     * with the results in {@code manager}. DJL hands a module a Dict instead of tensors when an
     * input's name contains a dot (arrays read from an .npz are named so): the names are cleared
     * for the call and restored after.
     */
    public static NDList forward(Model model, NDManager manager, NDList inputs) {
        String[] names = new String[inputs.size()];
        for (int i = 0; i < names.length; i++) {
            NDArray a = inputs.get(i);
            names[i] = a.getName();
            a.setName(null);
        }
        try {
            return model.getBlock().forward(new ParameterStore(manager, false), inputs, true);
        } finally {
            for (int i = 0; i < names.length; i++) {
                inputs.get(i).setName(names[i]);
            }
        }
    }
}
