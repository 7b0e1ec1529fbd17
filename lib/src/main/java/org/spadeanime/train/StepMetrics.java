package org.spadeanime.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spadeanime.loss.AdversarialLoss;
import org.spadeanime.viz.LossChart;

/**
 * What one training iteration reports. D terms are means over the iteration's n_dis D updates.
 * A term that is switched off (perceptual without VGG weights, the rough updates without a rough
 * data set, the penalty with γ = 0) is NaN, shown as an empty cell in metrics.csv.
 *
 * @param step the iteration just completed (1-based)
 * @param dReal D's adversarial term on real images
 * @param dFake D's adversarial term on generated images
 * @param dPenalty the weighted gradient penalty γ/2·P
 * @param dTotal what D minimised (adversarial combination + penalty)
 * @param gAdversarial G's adversarial term
 * @param gFeatureMatching the weighted feature-matching term
 * @param gL1 the weighted pixel reconstruction term (l1Coef; NaN when off)
 * @param gPerceptual the weighted perceptual term
 * @param gTotal what G minimised
 * @param roughD D's total on the rough batches (before the rough weight)
 * @param roughG G's total on the rough batch (before the rough weight)
 * @param lrG the generator's learning rate in this iteration
 * @param lrD the discriminator's learning rate in this iteration
 * @param seconds wall time of the iteration
 * @param skipped updates skipped in this iteration because a loss was not finite (nanPolicy skip)
 */
public record StepMetrics(
        long step,
        double dReal,
        double dFake,
        double dPenalty,
        double dTotal,
        double gAdversarial,
        double gFeatureMatching,
        double gL1,
        double gPerceptual,
        double gTotal,
        double roughD,
        double roughG,
        double lrG,
        double lrD,
        double seconds,
        int skipped) {

    /** The loss terms' names: metrics.csv columns, chart series and the terms a NaN stop names. */
    public static final String D_REAL = "D real";
    public static final String D_FAKE = "D fake";
    public static final String D_PENALTY = "D penalty";
    public static final String D_TOTAL = "D total";
    public static final String G_ADVERSARIAL = "G adversarial";
    public static final String G_FEATURE_MATCHING = "G feature matching";
    public static final String G_L1 = "G L1";
    public static final String G_PERCEPTUAL = "G perceptual";
    public static final String G_TOTAL = "G total";

    /** Column names of metrics.csv and the metrics table, in record order. */
    public static final List<String> COLUMNS = List.of("step", D_REAL, D_FAKE, D_PENALTY, D_TOTAL,
            G_ADVERSARIAL, G_FEATURE_MATCHING, G_L1, G_PERCEPTUAL, G_TOTAL, "rough D total", "rough G total",
            "lr G", "lr D", "seconds", "skipped");

    /** Names of the discriminator's loss terms (columns), for charts. */
    public static final List<String> D_TERMS = List.of(D_REAL, D_FAKE, D_PENALTY, D_TOTAL);

    /** Names of the generator's loss terms (columns), for charts. */
    public static final List<String> G_TERMS = List.of(G_ADVERSARIAL, G_FEATURE_MATCHING, G_L1, G_PERCEPTUAL, G_TOTAL);

    /**
     * An empty chart of D's terms ({@code discriminator}) or G's, as runs draw them: EMA 0.9, D on a
     * log axis unless WGAN (hinge, BCE and LSGAN terms of D are ≥ 0 and span decades early on;
     * WGAN's go negative). Fill it with {@link #addTo}.
     */
    public static LossChart chart(boolean discriminator, String title, int width, int height,
                                  AdversarialLoss adversarial) {
        return new LossChart(title, width, height).smoothing(0.9)
                .logScale(discriminator && adversarial != AdversarialLoss.WGAN);
    }

    /** Adds this iteration's D terms ({@code discriminator}) or G terms to {@code chart}. */
    public void addTo(LossChart chart, boolean discriminator) {
        Map<String, Double> losses = losses();
        for (String t : discriminator ? D_TERMS : G_TERMS) {
            chart.add(t, step, losses.get(t));
        }
    }

    /**
     * The loss terms by column name, D then G (switched-off terms are NaN, which charts skip):
     * {@code chart.addAll(m.step(), m.losses())}.
     */
    public Map<String, Double> losses() {
        double[] v = values();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : D_TERMS) {
            out.put(name, v[COLUMNS.indexOf(name)]);
        }
        for (String name : G_TERMS) {
            out.put(name, v[COLUMNS.indexOf(name)]);
        }
        return out;
    }

    /** The values in {@link #COLUMNS} order. */
    public double[] values() {
        return new double[] {step, dReal, dFake, dPenalty, dTotal, gAdversarial, gFeatureMatching, gL1, gPerceptual,
            gTotal, roughD, roughG, lrG, lrD, seconds, skipped};
    }

    /** The inverse of {@link #values()}. */
    public static StepMetrics of(double[] v) {
        if (v.length != COLUMNS.size()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + " metric values, got " + v.length);
        }
        return new StepMetrics((long) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13], v[14], (int) v[15]);
    }
}
