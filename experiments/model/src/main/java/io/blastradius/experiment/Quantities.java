package io.blastradius.experiment;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ({@code 500ms}, {@code 2s}, {@code 1m}) and rates ({@code 200/s}, {@code 30/m}) as experiments write them. */
public final class Quantities {

    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)");
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/(s|m)");

    private Quantities() {
    }

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a duration like 500ms, 2s or 1m, but was '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1_000;
            default -> value * 60_000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** A duration as an experiment would write it: {@code 2m}, {@code 90s}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    /** Requests per second. */
    public static double rate(String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a rate like 200/s or 30/m, but was '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        return m.group(2).equals("s") ? value : value / 60;
    }
}
