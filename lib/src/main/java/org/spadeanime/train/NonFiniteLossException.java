package org.spadeanime.train;

/**
 * A loss term came out NaN or infinite, or a finite loss gave NaN or infinite gradients; the message
 * names the term, its value and the step. Nothing of that update reached the weights.
 */
public final class NonFiniteLossException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String term;
    private final long step;
    private final double value;

    public NonFiniteLossException(String term, long step, double value) {
        this("loss term '" + term + "' is " + value + " at step " + step, term, step, value);
    }

    private NonFiniteLossException(String message, String term, long step, double value) {
        super(message);
        this.term = term;
        this.step = step;
        this.value = value;
    }

    /** The gradients of {@code network} ("D", "G (rough)") are NaN or infinite although its loss was finite. */
    public static NonFiniteLossException gradients(String network, long step, double loss) {
        return new NonFiniteLossException("the gradients of " + network + " are NaN or infinite at step " + step
                + " although its loss was finite (" + loss + ")", network + " gradients", step, Double.NaN);
    }

    /** nanPolicy skip gave up: {@code count} iterations in a row skipped an update. */
    public static NonFiniteLossException tooManySkips(long step, int count, String last) {
        return new NonFiniteLossException(count + " iterations in a row up to step " + step + " skipped updates "
                + "(nanPolicy skip; the last: " + last + "): fresh batches do not help", "skips", step, Double.NaN);
    }

    private NonFiniteLossException(NonFiniteLossException cause, String advice) {
        super(cause.getMessage() + advice, cause);
        this.term = cause.term;
        this.step = cause.step;
        this.value = cause.value;
    }

    /** The same failure with advice appended to the message (e.g. where the last checkpoint is). */
    public NonFiniteLossException withAdvice(String advice) {
        return new NonFiniteLossException(this, advice);
    }

    /** The term, e.g. "D penalty" or "G feature matching (rough)". */
    public String term() {
        return term;
    }

    /** The iteration (1-based) in which it happened. */
    public long step() {
        return step;
    }

    public double value() {
        return value;
    }
}
