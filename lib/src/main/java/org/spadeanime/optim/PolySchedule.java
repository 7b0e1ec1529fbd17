package org.spadeanime.optim;

/**
 * The reference's learning-rate schedule ({@code adam_lr_poly}): constant for the first 40 % of
 * training, then polynomial decay to zero, re-evaluated only every 100 iterations:
 * <pre>  lr = base · (1 − (k − 0.4·max) / (0.6·max))^0.9   for k ≥ 0.4·max</pre>
 * where k is the iteration count at the last check (a multiple of 100). As in the original (a
 * Chainer extension triggered after every 100th update) the rate set at check k is used from
 * update k + 1 on; an "iteration" is one generator update with its discriminator updates.
 */
public final class PolySchedule {

    private final double baseRate;
    private final long maxIterations;
    private final double startFraction;
    private final double power;
    private final long interval;

    /** The reference's schedule: decay after 40 %, power 0.9, checked every 100 iterations. */
    public PolySchedule(double baseRate, long maxIterations) {
        this(baseRate, maxIterations, 0.4, 0.9, 100);
    }

    public PolySchedule(double baseRate, long maxIterations, double startFraction, double power, long interval) {
        if (!(baseRate >= 0) || Double.isInfinite(baseRate)) {
            throw new IllegalArgumentException("poly schedule base rate " + baseRate + ": expected a finite value >= 0");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("poly schedule max iterations " + maxIterations + ": expected >= 1");
        }
        if (!(startFraction >= 0 && startFraction < 1)) {
            throw new IllegalArgumentException("poly schedule start fraction " + startFraction + ": expected in [0, 1)");
        }
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("poly schedule power " + power + ": expected > 0");
        }
        if (interval < 1) {
            throw new IllegalArgumentException("poly schedule interval " + interval + ": expected >= 1");
        }
        this.baseRate = baseRate;
        this.maxIterations = maxIterations;
        this.startFraction = startFraction;
        this.power = power;
        this.interval = interval;
    }

    /**
     * The rate for the update that follows {@code completedIterations} finished iterations
     * (0 for the first update). Zero at and after {@code maxIterations}.
     */
    public double rate(long completedIterations) {
        if (completedIterations < 0) {
            throw new IllegalArgumentException("iteration " + completedIterations + ": expected >= 0");
        }
        long k = completedIterations / interval * interval;
        double threshold = maxIterations * startFraction;
        if (k < threshold) {
            return baseRate;
        }
        double remaining = 1 - (k - threshold) / (maxIterations - threshold);
        return remaining <= 0 ? 0 : baseRate * Math.pow(remaining, power);
    }

    public double baseRate() {
        return baseRate;
    }

    public long maxIterations() {
        return maxIterations;
    }
}
