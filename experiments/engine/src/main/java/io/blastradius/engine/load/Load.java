package io.blastradius.engine.load;

import io.blastradius.environment.Endpoints;
import io.blastradius.experiment.Route;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Traffic as the runner drives it: prepared (sessions), started on a plan, read per route and second
 * while it runs, stopped. {@link LoadGenerator} is the real one; a test gives the runner its own.
 */
public interface Load extends AutoCloseable {

    /** Makes a load against an environment's endpoints whose requests time out after {@code responseTimeout}. */
    @FunctionalInterface
    interface Factory {
        Factory HTTP = (endpoints, timeout) -> new LoadGenerator(endpoints.gatewayUrl(), endpoints.demo(), timeout);

        Load create(Endpoints endpoints, Duration responseTimeout);
    }

    /**
     * Sessions made on a replica and not spent: for app traffic, and for logouts not sent. A load on the same
     * replica starts from them rather than logging in again (logins go through the gateway's rate limit).
     */
    record Sessions(List<String> app, List<String> logout) {
        public static final Sessions NONE = new Sessions(List.of(), List.of());

        public Sessions {
            app = List.copyOf(app);
            logout = List.copyOf(logout);
        }
    }

    /**
     * What must happen before the plan starts (logins for app traffic and logouts), starting from the sessions
     * {@code given} (another load's {@link #unspent}); not measured.
     */
    void prepare(LoadPlan plan, Sessions given);

    /** The sessions it made (in {@link #prepare} or by its login traffic) and did not spend; after {@link #stop}. */
    Sessions unspent();

    /** Starts sending; returns at once. The plan's time zero is now. */
    void start(LoadPlan plan);

    /** {@link System#nanoTime()} (or the runner's clock) when {@link #start} was called. */
    long startNanos();

    /** Stops sending, gives requests in flight up to {@code drain} to finish. */
    void stop(Duration drain);

    /** Waits for the plan's end and up to {@code drain} for its last answers. */
    void awaitEnd(Duration drain) throws InterruptedException;

    RouteSeries series(Route route);

    /** The pacer's lateness, in microseconds. */
    Histogram lag();

    /** The worst lateness in each second, in microseconds. */
    Map<Integer, Long> worstLagBySecond();

    @Override
    void close();
}
