package io.blastradius.experiment;

/** A number with its unit: what a check requires or measured, for machines (a sweep, a console) as well as people. */
public record Quantity(double value, Comparison.Unit unit) {

    @Override
    public String toString() {
        return Comparison.format(value, unit);
    }
}
