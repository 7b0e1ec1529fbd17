package org.spadeanime.train;

/** A loss term came out NaN or infinite; the message names the term, its value and the step. */
public final class NonFiniteLossException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String term;
    private final long step;
    private final double value;

    public NonFiniteLossException(String term, long step, double value) {
        super("loss term '" + term + "' is " + value + " at step " + step);
        this.term = term;
        this.step = step;
        this.value = value;
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
