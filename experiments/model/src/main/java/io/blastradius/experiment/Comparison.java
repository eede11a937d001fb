package io.blastradius.experiment;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound such as {@code >= 99.9%}, {@code <= 150ms} or {@code <= 1.2x}. Values are held in the unit's
 * base: percent as percent, latency in milliseconds, ratios as factors.
 */
public record Comparison(Operator operator, double value, Unit unit, String text) {

    private static final Pattern SHAPE = Pattern.compile("(<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)(%|ms|s|x)");

    /** How actual compares to required. */
    public enum Operator {
        AT_MOST("<=", "≤"), AT_LEAST(">=", "≥"), BELOW("<", "<"), ABOVE(">", ">");

        private final String symbol;
        private final String display;

        Operator(String symbol, String display) {
            this.symbol = symbol;
            this.display = display;
        }

        boolean holds(double actual, double bound) {
            return switch (this) {
                case AT_MOST -> actual <= bound;
                case AT_LEAST -> actual >= bound;
                case BELOW -> actual < bound;
                case ABOVE -> actual > bound;
            };
        }

        static Operator of(String symbol) {
            for (Operator o : values()) {
                if (o.symbol.equals(symbol)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown operator " + symbol);
        }
    }

    /** What the number measures. */
    public enum Unit { PERCENT, MILLISECONDS, RATIO, COUNT }

    public static Comparison parse(String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a comparison like '>= 99.9%', '<= 150ms' or '<= 1.2x', but was '" + text + "'");
        }
        double value = Double.parseDouble(m.group(2));
        Unit unit = switch (m.group(3)) {
            case "%" -> Unit.PERCENT;
            case "x" -> Unit.RATIO;
            case "s" -> {
                value *= 1_000;
                yield Unit.MILLISECONDS;
            }
            default -> Unit.MILLISECONDS;
        };
        return new Comparison(Operator.of(m.group(1)), value, unit, text.trim());
    }

    public boolean holds(double actual) {
        return operator.holds(actual, value);
    }

    /** The bound for people: {@code ≤ 150 ms}, {@code ≥ 99.9%}, {@code ≤ 1.2×}. */
    public String describe() {
        return operator.display + " " + format(value, unit);
    }

    public static String format(double value, Unit unit) {
        return switch (unit) {
            case PERCENT -> trim(value) + "%";
            case MILLISECONDS -> trim(value) + " ms";
            case RATIO -> trim(value) + "×";
            case COUNT -> trim(value);
        };
    }

    /** At most two decimals, no trailing zeros: 150, 99.9, 1.25. */
    private static String trim(double value) {
        return new BigDecimal(String.format(Locale.ROOT, "%.2f", value)).stripTrailingZeros().toPlainString();
    }
}
