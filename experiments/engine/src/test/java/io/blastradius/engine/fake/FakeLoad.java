package io.blastradius.engine.fake;

import io.blastradius.engine.load.Load;
import io.blastradius.engine.load.LoadPlan;
import io.blastradius.experiment.Outcome;
import io.blastradius.engine.load.RouteSeries;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A load that sends nothing: each second of its plan, once the fake clock has passed it, is filled with
 * the planned number of requests, whose outcome and latency a {@link Script} decides. Waiting moves the clock.
 */
public final class FakeLoad implements Load {

    /** How the requests of one route in one second end. */
    @FunctionalInterface
    public interface Script {
        Result of(Route route, int second);
    }

    /** An outcome and a latency in milliseconds. */
    public record Result(Outcome outcome, long millis) {
        public static final Result FINE = new Result(Outcome.SUCCESS, 20);
    }

    private final FakeClock clock;
    private final Script script;
    private final Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
    private LoadPlan plan;
    private Sessions given = Sessions.NONE;
    private long startNanos;
    private int filledUpTo;

    public FakeLoad(FakeClock clock, Script script) {
        this.clock = clock;
        this.script = script;
        for (Route route : Route.values()) {
            series.put(route, RouteSeries.of(route));
        }
    }

    @Override
    public void prepare(LoadPlan plan, Sessions given) {
        this.plan = plan;
        this.given = given;
    }

    /** The sessions it was prepared with. */
    public Sessions given() {
        return given;
    }

    /** Sessions it says it left: one app session and one logout session, named after the load. */
    @Override
    public Sessions unspent() {
        return new Sessions(List.of("app-" + hashCode()), List.of("logout-" + hashCode()));
    }

    /** The plan it was prepared or started with. */
    public LoadPlan plan() {
        return plan;
    }

    @Override
    public void start(LoadPlan plan) {
        this.plan = plan;
        this.startNanos = clock.nanoTime();
        this.filledUpTo = 0;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public void stop(Duration drain) {
    }

    @Override
    public void awaitEnd(Duration drain) {
        double left = plan.length().toNanos() / 1e9 - clock.secondsSince(startNanos);
        if (left > 0) {
            clock.sleep(Duration.ofNanos((long) (left * 1e9)));
        }
    }

    @Override
    public synchronized RouteSeries series(Route route) {
        int passed = (int) Math.min(clock.secondsSince(startNanos), plan.length().toSeconds());
        for (int second = filledUpTo; second < passed; second++) {
            LoadPlan.Window window = plan.at(Duration.ofSeconds(second));
            for (Route r : Route.values()) {
                double rate = window == null ? 0 : window.rates().getOrDefault(r, 0.0);
                Result result = script.of(r, second);
                for (int i = 0; i < rate; i++) {
                    series.get(r).record(second, result.outcome(), result.millis() * 1_000);
                }
            }
        }
        filledUpTo = Math.max(filledUpTo, passed);
        return series.get(route);
    }

    @Override
    public Histogram lag() {
        return new Histogram(3);
    }

    @Override
    public Map<Integer, Long> worstLagBySecond() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
