package io.blastradius.experiment.internal;

import io.blastradius.experiment.InvalidExperimentException.Problem;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allowed range of every number an experiment file holds, in one table: checked once the schema has
 * accepted the file's shape and before any rule does arithmetic with them (a duration of 10^20 s overflows
 * the sum of two). Each number is read exactly (a {@link BigDecimal}), so no size of number slips through
 * by overflowing; each refusal names the value, where it is and the range allowed.
 */
public final class Bounds {

    /** The most requests a second on one route: the load generator is measured to hold 4,000/s (BENCHMARKS.md). */
    public static final BigDecimal MAX_RATE_PER_SECOND = BigDecimal.valueOf(4_000);
    /**
     * The most users the app route may come from: each logs in before the run, through the gateway's login limit
     * (10/s by default), so 1,000 take 100 s to prepare.
     */
    public static final int MAX_USERS = 1_000;
    /** The longest phase. */
    public static final BigDecimal MAX_PHASE_MS = BigDecimal.valueOf(60 * 60_000);
    /** The longest experiment, its phases together. */
    public static final BigDecimal MAX_PHASES_MS = BigDecimal.valueOf(2 * 60 * 60_000);
    /** The longest of any other duration (a delay, a bound on a latency, an abort guard's window). */
    public static final BigDecimal MAX_DURATION_MS = BigDecimal.valueOf(60 * 60_000);

    /** How a number is written where the rule applies, and the unit its range is given in. */
    private enum Kind {
        RATE(Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/(s|m)"), "/s"),
        DURATION(Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)"), "ms"),
        PERCENT(Pattern.compile("(?:<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)(%)"), "%"),
        LATENCY(Pattern.compile("(?:<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)(ms|s)"), "ms"),
        RATIO(Pattern.compile("(?:<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)(x)"), "x"),
        INTEGER(Pattern.compile("(-?[0-9]+)()"), "");

        private final Pattern pattern;
        private final String unit;

        Kind(Pattern pattern, String unit) {
            this.pattern = pattern;
            this.unit = unit;
        }

        /** A value in this kind's unit as an experiment would write it: milliseconds as whole minutes or seconds where they are. */
        String format(BigDecimal value) {
            if (this == DURATION || this == LATENCY) {
                for (long unit : new long[] {60_000, 1_000}) {
                    BigDecimal[] split = value.divideAndRemainder(BigDecimal.valueOf(unit));
                    if (split[1].signum() == 0 && split[0].signum() != 0) {
                        return plain(split[0]) + (unit == 60_000 ? "m" : "s");
                    }
                }
                return value.signum() == 0 ? "0s" : plain(value) + "ms";
            }
            return plain(value) + unit;
        }

        /** The value in this kind's unit (per second, milliseconds, ...), or null when it is not written so. */
        BigDecimal value(JsonNode node) {
            if (this == INTEGER) {
                return node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : null;
            }
            if (!node.isString()) {
                return null;
            }
            Matcher m = pattern.matcher(node.asString().trim());
            if (!m.matches()) {
                return null;
            }
            BigDecimal number = new BigDecimal(m.group(1));
            return switch (m.group(2)) {
                case "s" -> this == RATE ? number : number.multiply(BigDecimal.valueOf(1_000));
                case "m" -> this == RATE ? number.divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_UP)
                        : number.multiply(BigDecimal.valueOf(60_000));
                default -> number;
            };
        }
    }

    /** Where a rule applies (a JSON pointer, as a pattern), what it holds, its range and why. */
    private record Rule(Pattern where, Kind kind, BigDecimal min, BigDecimal max, String what) {
        Rule(String where, Kind kind, long min, BigDecimal max, String what) {
            this(Pattern.compile(where), kind, BigDecimal.valueOf(min), max, what);
        }
    }

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private static final List<Rule> RULES = List.of(
            new Rule("/traffic/\\d+/rate(/[a-z]+)?", Kind.RATE, 0, MAX_RATE_PER_SECOND,
                    "a route's rate (the most the load generator is measured to hold)"),
            new Rule("/phases/[a-z]+", Kind.DURATION, 0, MAX_PHASE_MS, "a phase"),
            new Rule("/faults/\\d+/http/delay", Kind.DURATION, 0, BigDecimal.valueOf(600_000), "an http fault's delay"),
            new Rule("/faults/\\d+/app-memory/every", Kind.DURATION, 100, BigDecimal.valueOf(30_000), "the time between two steps of a memory assault"),
            new Rule("/faults/\\d+/.*", Kind.DURATION, 0, MAX_DURATION_MS, "a fault's time"),
            new Rule("/faults/\\d+/bandwidth/rate", Kind.INTEGER, 0, BigDecimal.valueOf(10_000_000), "a bandwidth in KB/s"),
            new Rule("/faults/\\d+/slicer/average-size", Kind.INTEGER, 1, BigDecimal.valueOf(1 << 20), "a slice's average size in bytes"),
            new Rule("/faults/\\d+/slicer/size-variation", Kind.INTEGER, 0, BigDecimal.valueOf(1 << 20), "a slice's size variation in bytes"),
            new Rule("/faults/\\d+/limit-data/bytes", Kind.INTEGER, 0, BigDecimal.valueOf(1L << 40), "the bytes a connection may carry"),
            new Rule("/(hypotheses|abort)/\\d+/(success-rate|error-rate|logged-out)", Kind.PERCENT, 0, BigDecimal.valueOf(100), "a percentage"),
            new Rule("/(hypotheses|abort)/\\d+/(p50|p95|p99|max)", Kind.LATENCY, 0, MAX_DURATION_MS, "a latency bound"),
            new Rule("/hypotheses/\\d+/p(50|99)-vs-baseline", Kind.RATIO, 0, BigDecimal.valueOf(1_000), "a ratio to the baseline"),
            new Rule("/(hypotheses|abort)/\\d+/(recovers-within|for)", Kind.DURATION, 0, MAX_DURATION_MS, "a time window"),
            new Rule("/traffic/\\d+/users", Kind.INTEGER, 1, BigDecimal.valueOf(MAX_USERS), "the app route's users (each logged in beforehand)"),
            new Rule(Pattern.compile("/seed"), Kind.INTEGER, LONG_MIN, LONG_MAX, "a seed"));

    private Bounds() {
    }

    /** Every number out of its range, and phases longer together than {@link #MAX_PHASES_MS}. */
    public static List<Problem> check(YamlDocument document) {
        List<Problem> problems = new ArrayList<>();
        walk(document, document.root(), "", problems);
        BigDecimal phases = BigDecimal.ZERO;
        for (Map.Entry<String, JsonNode> phase : document.root().path("phases").properties()) {
            BigDecimal ms = Kind.DURATION.value(phase.getValue());
            phases = ms == null ? phases : phases.add(ms);
        }
        if (phases.compareTo(MAX_PHASES_MS) > 0) {
            problems.add(document.problem("/phases", true, "the phases last " + minutes(phases) + " together; an experiment may last at most "
                    + minutes(MAX_PHASES_MS) + " (split it into several)"));
        }
        return problems;
    }

    private static void walk(YamlDocument document, JsonNode node, String pointer, List<Problem> problems) {
        if (node.isObject()) {
            node.properties().forEach(e -> walk(document, e.getValue(), pointer + "/" + e.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(document, node.get(i), pointer + "/" + i, problems);
            }
        } else {
            for (Rule rule : RULES) {
                BigDecimal value = rule.where().matcher(pointer).matches() ? rule.kind().value(node) : null;
                if (value != null) {
                    if (value.compareTo(rule.min()) < 0 || value.compareTo(rule.max()) > 0) {
                        problems.add(document.problem(pointer, false, "'" + text(node) + "' is out of range: " + rule.what() + " may be from "
                                + rule.kind().format(rule.min()) + " to " + rule.kind().format(rule.max())));
                    }
                    return;
                }
            }
        }
    }

    private static String text(JsonNode node) {
        String text = node.isString() ? node.asString() : node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String minutes(BigDecimal ms) {
        return plain(ms.divide(BigDecimal.valueOf(60_000), 1, RoundingMode.HALF_UP)) + " min";
    }
}
