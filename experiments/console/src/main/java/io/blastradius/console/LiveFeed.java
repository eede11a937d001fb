package io.blastradius.console;

import io.blastradius.engine.Check;
import io.blastradius.engine.Evaluation;
import io.blastradius.engine.RunListener;
import io.blastradius.engine.RunResult;
import io.blastradius.engine.load.SecondStats;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Outcome;
import io.blastradius.experiment.Percentile;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The engine's run events as the console's page reads them: each one a JSON object with a {@code type},
 * multicast to every open page and replayed (the last {@value #REPLAY} events) to a page that opens
 * mid-run, so that it draws what it missed. One feed for the console's life; each run's events carry its number.
 */
final class LiveFeed implements RunListener {

    static final int REPLAY = 2_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Sinks.Many<String> sink = Sinks.many().replay().limit(REPLAY);
    private final LongSupplier nanoTime;
    private volatile int run;
    private volatile long stopRequestedNanos;
    private volatile long rolledBackNanos;

    LiveFeed(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Every event from the replayed ones on, as JSON. */
    Flux<String> events() {
        return sink.asFlux();
    }

    /** The number the next events carry: the console's run they belong to. */
    void run(int number) {
        this.run = number;
        this.stopRequestedNanos = 0;
    }

    /** An emergency stop was asked for now: the rollback's event says how long it took from here. */
    void stopRequested() {
        stopRequestedNanos = nanoTime.getAsLong();
    }

    /** Publishes an event of the console's own (a run queued, the list of runs). */
    void publish(String type, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("run", run);
        event.putAll(fields);
        synchronized (sink) {
            sink.tryEmitNext(JSON.writeValueAsString(event));
        }
    }

    @Override
    public void started(Experiment experiment, long seed) {
        publish("started", Map.of("experiment", Plans.of(experiment), "seed", Long.toString(seed)));
    }

    @Override
    public void settled(int seconds, boolean warm, String latest) {
        publish("settled", Map.of("seconds", seconds, "warm", warm, "latest", latest));
    }

    @Override
    public void phase(Phase phase, int second) {
        publish("phase", Map.of("phase", phase.wireName(), "second", second));
    }

    @Override
    public void second(int second, Phase phase, Map<Route, SecondStats> last) {
        Map<String, Object> routes = new LinkedHashMap<>();
        last.forEach((route, stats) -> {
            long done = stats.completed();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("sent", stats.sentCount());
            figures.put("p50", done == 0 ? null : Evaluation.millis(stats.latency(), Percentile.P50));
            figures.put("p99", done == 0 ? null : Evaluation.millis(stats.latency(), Percentile.P99));
            figures.put("errorPercent", done == 0 ? null : 100.0 * (done - stats.count(Outcome.SUCCESS)) / done);
            routes.put(route.wireName(), figures);
        });
        publish("second", Map.of("second", second, "phase", phase == null ? "" : phase.wireName(), "routes", routes));
    }

    @Override
    public void fault(String event) {
        publish("fault", Map.of("event", event));
    }

    @Override
    public void breaker(int second, String name, String state) {
        publish("breaker", Map.of("second", second, "name", name, "state", state));
    }

    @Override
    public void judged(int second, List<Check> checks) {
        publish("judged", Map.of("second", second, "checks", checks(checks)));
    }

    /** Whether a rollback has ended since the stop was asked for. */
    boolean rolledBackSinceStop() {
        long asked = stopRequestedNanos;
        return asked != 0 && rolledBackNanos >= asked;
    }

    @Override
    public void rolledBack(int undone) {
        rolledBackNanos = nanoTime.getAsLong();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("undone", undone);
        long asked = stopRequestedNanos;
        if (asked != 0) {
            fields.put("millisSinceStop", Duration.ofNanos(nanoTime.getAsLong() - asked).toMillis());
        }
        publish("rolledBack", fields);
    }

    @Override
    public void ended(RunResult result) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("experiment", result.experiment().metadata().name());
        fields.put("verdict", result.verdict().name());
        fields.put("gatePassed", result.gatePassed());
        fields.put("reasons", result.reasons());
        fields.put("checks", checks(result.checks()));
        publish("ended", fields);
    }

    private static List<Map<String, Object>> checks(List<Check> checks) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Check check : checks) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("hypothesis", check.hypothesis());
            one.put("passed", check.passed());
            one.put("words", check.sentence());
            all.add(one);
        }
        return all;
    }
}
