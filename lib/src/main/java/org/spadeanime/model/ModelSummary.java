package org.spadeanime.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parameter counts of a block and of every block inside it, for a notebook table. {@code
 * parameters} are the trained values (what the original's Chainer model counts); {@code buffers}
 * are the persistent values that are not trained (batch-norm running statistics and fixed
 * affine, spectral-norm u and v).
 *
 * @param rows one row per block in depth-first order; the first is the whole network (path "")
 */
public record ModelSummary(List<Row> rows) {

    /**
     * One block.
     *
     * @param path dotted path, e.g. {@code "r1.norm1.gamma"} ({@code ""} for the root)
     * @param type the block's class, e.g. {@code "SpectralConv2d"}
     * @param depth 0 for the root, 1 for its children, …
     * @param parameters trained values in this block and its descendants
     * @param buffers persistent untrained values in this block and its descendants
     */
    public record Row(String path, String type, int depth, long parameters, long buffers) {}

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /** Counts the parameters of an initialised block. */
    public static ModelSummary of(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException(block.getClass().getSimpleName()
                    + " is not initialised: call initialize(manager) before summary()");
        }
        // a network knows what it trains even while frozen; a bare block asks its parameters
        Predicate<Parameter> trained = block instanceof SpadeNetwork net
                ? net.trainedParameters()::contains : Parameter::requiresGradient;
        List<Row> rows = new ArrayList<>();
        walk(block, "", 0, rows, trained);
        return new ModelSummary(rows);
    }

    private static long[] walk(Block block, String path, int depth, List<Row> rows, Predicate<Parameter> trained) {
        int at = rows.size();
        rows.add(null);
        long[] counts = new long[2];
        for (Parameter p : block.getDirectParameters().values()) {
            counts[trained.test(p) ? 0 : 1] += p.getArray().size();
        }
        for (Pair<String, Block> child : block.getChildren()) {
            long[] c = walk(child.getValue(), join(path, childName(child.getKey())), depth + 1, rows, trained);
            counts[0] += c[0];
            counts[1] += c[1];
        }
        rows.set(at, new Row(path, block.getClass().getSimpleName(), depth, counts[0], counts[1]));
        return counts;
    }

    /** Every parameter of a block by dotted path (e.g. {@code "r1.conv1.weight"}), in DJL's save order. */
    public static Map<String, Parameter> parameters(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return Collections.unmodifiableMap(out);
    }

    private static void collect(Block block, String path, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(join(path, p.getValue().getName()), p.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), join(path, childName(child.getKey())), out);
        }
    }

    /** DJL prefixes child names with a two-digit position ("01conv1"); the path uses the name. */
    private static String childName(String key) {
        return key.length() > 2 && Character.isDigit(key.charAt(0)) && Character.isDigit(key.charAt(1))
                ? key.substring(2) : key;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Trained parameters of the whole network. */
    public long total() {
        return rows.get(0).parameters();
    }

    /** Untrained persistent values of the whole network. */
    public long totalBuffers() {
        return rows.get(0).buffers();
    }

    /** Rows down to {@code maxDepth} (1 = the network's direct blocks). */
    public List<Row> rows(int maxDepth) {
        return rows.stream().filter(r -> r.depth() <= maxDepth).toList();
    }

    /** A text table of the rows down to {@code maxDepth}, with the total last. */
    public String table(int maxDepth) {
        StringBuilder sb = new StringBuilder(String.format("%-40s %-22s %12s %10s%n",
                "block", "type", "parameters", "buffers"));
        for (Row r : rows(maxDepth)) {
            if (r.depth() > 0) {
                sb.append(String.format("%-40s %-22s %,12d %,10d%n",
                        "  ".repeat(r.depth() - 1) + r.path(), r.type(), r.parameters(), r.buffers()));
            }
        }
        return sb.append(String.format("%-40s %-22s %,12d %,10d%n",
                "total", rows.get(0).type(), total(), totalBuffers())).toString();
    }

    @Override
    public String toString() {
        return table(1);
    }
}
