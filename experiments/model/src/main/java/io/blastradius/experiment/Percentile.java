package io.blastradius.experiment;

import java.util.Arrays;
import java.util.Optional;

/** The latency figures a criterion or a guard can name: {@code p50}, {@code p95}, {@code p99}, {@code max}. */
public enum Percentile {
    P50("p50", 50), P95("p95", 95), P99("p99", 99), MAX("max", 100);

    private final String wireName;
    private final double percent;

    Percentile(String wireName, double percent) {
        this.wireName = wireName;
        this.percent = percent;
    }

    public String wireName() {
        return wireName;
    }

    /** 50, 95, 99; 100 for the maximum. */
    public double percent() {
        return percent;
    }

    public static Optional<Percentile> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
