package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.environment.Endpoints.Credentials;
import io.blastradius.experiment.Route;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.retry.Retry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-model load generator: a pacer thread sends every request at its scheduled time whatever the
 * server does, on Reactor Netty with its own event loops and a large pool (so that client-side queueing
 * cannot hide a stall); latency is measured from the scheduled time into HdrHistogram per route per
 * second; failures keep the time they took. The pacer records its own lateness: a generator that
 * could not keep up makes a run inconclusive, not passed.
 *
 * <p>App requests come from the plan's users in turn, each with its own session. A user whose session is
 * refused (a JSON 401: the session store lost it) logs in again as a real client would: after a random
 * pause of up to {@link #RELOGIN_JITTER}, through the gateway's login route, retrying a refused login with
 * exponential backoff and full jitter up to {@link #RELOGIN_ATTEMPTS} times. Those logins are real traffic,
 * recorded on the login route (and counted apart as re-logins), so a mass logout shows as the login storm
 * it causes.
 */
public final class LoadGenerator implements Load {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([A-Za-z0-9_-]{43})\"");
    /** A user whose session was refused waits a random time up to this before logging in again. */
    static final Duration RELOGIN_JITTER = Duration.ofSeconds(1);
    /** Logins a user tries before waiting for its session to be refused again. */
    static final int RELOGIN_ATTEMPTS = 5;
    /** The first backoff after a refused login; doubled per attempt, up to {@link #RELOGIN_BACKOFF_CAP}, fully jittered. */
    static final Duration RELOGIN_BACKOFF = Duration.ofMillis(500);
    static final Duration RELOGIN_BACKOFF_CAP = Duration.ofSeconds(8);

    private final URI gateway;
    private final Credentials credentials;
    private final ConnectionProvider pool;
    private final LoopResources loops;
    private final HttpClient client;
    private final Map<Route, RouteSeries> series = new EnumMap<>(Route.class);
    private final ConcurrentHashMap<Integer, AtomicLong> lagMicrosBySecond = new ConcurrentHashMap<>();
    private final Histogram lag = SecondStats.newHistogram();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ArrayDeque<String> logoutTokens = new ArrayDeque<>();
    /** Each user's current session token, and whether that user is logging in again (1) or not (0). */
    private volatile AtomicReferenceArray<String> users = new AtomicReferenceArray<>(0);
    private volatile AtomicIntegerArray relogging = new AtomicIntegerArray(0);
    private volatile Random jitter = new Random(0);
    private final AtomicLong appIndex = new AtomicLong();
    private volatile boolean stopped;
    private Thread pacer;
    private long startNanos;

    public LoadGenerator(URI gateway, Credentials credentials, Duration responseTimeout) {
        this.gateway = gateway;
        this.credentials = credentials;
        this.pool = ConnectionProvider.builder("blastradius-load")
                .maxConnections(4_096)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.loops = LoopResources.create("blastradius-load", 2, true);
        this.client = HttpClient.create(pool).runOn(loops)
                .baseUrl(gateway.toString())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(responseTimeout);
        for (Route route : Route.values()) {
            series.put(route, new RouteSeries(route));
        }
    }

    /**
     * Logs in before the run: sessions for app traffic, and one per planned logout, beyond those given. Not
     * measured.
     */
    @Override
    public void prepare(LoadPlan plan, Sessions given) {
        int appSessions = plan.planned(Route.APP) > 0 ? plan.users() : 0;
        long logouts = Math.min(plan.planned(Route.LOGOUT), 20_000);
        List<String> app = new ArrayList<>(given.app().subList(0, Math.min(appSessions, given.app().size())));
        // through the gateway's login limit (10/s by default): a fifth of a second per user, at least 30 s
        app.addAll(Flux.range(0, appSessions - app.size()).flatMap(i -> login(), 4).collectList()
                .block(Duration.ofSeconds(30 + appSessions / 5)));
        users = new AtomicReferenceArray<>(app.toArray(String[]::new));
        relogging = new AtomicIntegerArray(app.size());
        jitter = new Random(plan.seed());
        given.logout().stream().limit(logouts).forEach(this::offerLogoutToken);
        Flux.range(0, (int) Math.max(0, logouts - given.logout().size()))
                .flatMap(i -> login(), 4)
                .doOnNext(this::offerLogoutToken)
                .blockLast(Duration.ofMinutes(5));
    }

    @Override
    public Sessions unspent() {
        synchronized (logoutTokens) {
            AtomicReferenceArray<String> now = users;
            List<String> app = new ArrayList<>();
            for (int i = 0; i < now.length(); i++) {
                app.add(now.get(i));
            }
            return new Sessions(app, List.copyOf(logoutTokens));
        }
    }

    /** A login for the generator's own sessions; refusals for load (429, 503) are retried with backoff. */
    private Mono<String> login() {
        return send(Route.LOGIN, loginBody(), null, null)
                .flatMap(r -> {
                    Matcher m = TOKEN.matcher(r.body());
                    if (r.status() == 200 && m.find()) {
                        return Mono.just(m.group(1));
                    }
                    String why = "login for load generation answered " + r.status() + ": " + r.body();
                    return Mono.error(r.status() == 429 || r.status() == 503 ? new Refused(why) : new IllegalStateException(why));
                })
                .retryWhen(Retry.backoff(30, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2))
                        .filter(e -> e instanceof Refused).onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** The replica refused a login for load (rate limit or open circuit): worth retrying. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Starts sending; returns at once. The plan's time zero is now. */
    @Override
    public void start(LoadPlan plan) {
        startNanos = System.nanoTime();
        pacer = new Thread(() -> pace(plan), "blastradius-pacer");
        pacer.setDaemon(true);
        pacer.setPriority(Thread.MAX_PRIORITY);
        pacer.start();
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    private void pace(LoadPlan plan) {
        Map<Route, Long> next = new EnumMap<>(Route.class);
        LoadPlan.Window current = null;
        while (!stopped) {
            long now = System.nanoTime();
            LoadPlan.Window window = plan.at(Duration.ofNanos(now - startNanos));
            if (window == null) {
                return;
            }
            if (window != current) {
                current = window;
                next.clear();
                for (Map.Entry<Route, Double> rate : window.rates().entrySet()) {
                    if (rate.getValue() > 0) {
                        next.put(rate.getKey(), startNanos + window.start().toNanos());
                    }
                }
            }
            long windowEnd = startNanos + window.end().toNanos();
            long soonest = windowEnd;
            for (Map.Entry<Route, Long> due : next.entrySet()) {
                long period = (long) (1e9 / window.rates().get(due.getKey()));
                long intended = due.getValue();
                while (intended <= now && intended < windowEnd) {
                    issue(due.getKey(), intended, now);
                    intended += period;
                }
                due.setValue(intended);
                soonest = Math.min(soonest, intended);
            }
            long wait = Math.min(soonest - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void issue(Route route, long intended, long now) {
        int second = (int) ((intended - startNanos) / 1_000_000_000L);
        long lateMicros = (now - intended) / 1_000;
        synchronized (lag) {
            lag.recordValue(Math.max(1, Math.min(lateMicros, SecondStats.MAX_MICROS)));
        }
        lagMicrosBySecond.computeIfAbsent(second, s -> new AtomicLong()).accumulateAndGet(lateMicros, Math::max);
        SecondStats stats = series.get(route).at(second);
        stats.sent();
        inFlight.incrementAndGet();
        AtomicReferenceArray<String> sessions = users;
        int user = route == Route.APP && sessions.length() > 0 ? (int) (appIndex.getAndIncrement() % sessions.length()) : -1;
        String token = user >= 0 ? sessions.get(user) : route == Route.LOGOUT ? pollLogoutToken() : null;
        request(route, token).subscribe(
                response -> {
                    Outcome outcome = Outcome.of(response.status(), response.contentType(), response.body(), route.carriesSession());
                    stats.record(outcome, (System.nanoTime() - intended) / 1_000);
                    if (outcome == Outcome.LOGGED_OUT && user >= 0) {
                        relogin(sessions, user, token);
                    }
                    if (route == Route.LOGIN && response.status() == 200) {
                        Matcher m = TOKEN.matcher(response.body());
                        if (m.find()) {
                            offerLogoutToken(m.group(1));
                        }
                    }
                    inFlight.decrementAndGet();
                },
                error -> {
                    stats.record(classify(error), (System.nanoTime() - intended) / 1_000);
                    inFlight.decrementAndGet();
                });
    }

    /** A request on a route; {@code token}: the session an app or logout request carries (none: it goes without). */
    private Mono<Response> request(Route route, String token) {
        String bearer = token == null ? null : "Bearer " + token;
        return switch (route) {
            case API -> send(route, Route.MESSAGE, "x-api-key", credentials.apiKey());
            case APP -> send(route, Route.MESSAGE, "authorization", bearer);
            case LOGIN -> send(route, loginBody(), null, null);
            case LOGOUT -> send(route, "", "authorization", bearer);
        };
    }

    /**
     * The user's session {@code refused} was refused: unless it has a newer one or is already at it, the user logs in
     * again after a random pause.
     */
    private void relogin(AtomicReferenceArray<String> sessions, int user, String refused) {
        AtomicIntegerArray busy = relogging;
        if (stopped || sessions != users || !refused.equals(sessions.get(user)) || !busy.compareAndSet(user, 0, 1)) {
            return;
        }
        attemptRelogin(sessions, busy, user, 1, randomMillis(RELOGIN_JITTER));
    }

    private void attemptRelogin(AtomicReferenceArray<String> sessions, AtomicIntegerArray busy, int user, int attempt, long delayMillis) {
        Mono.delay(Duration.ofMillis(delayMillis)).subscribe(ignored -> {
            if (stopped) {
                busy.set(user, 0);
                return;
            }
            long sentAt = System.nanoTime();
            SecondStats stats = series.get(Route.LOGIN).at((int) Math.max(0, (sentAt - startNanos) / 1_000_000_000L));
            stats.sentRelogin();
            inFlight.incrementAndGet();
            send(Route.LOGIN, loginBody(), null, null).subscribe(
                    response -> {
                        stats.record(Outcome.of(response.status(), response.contentType(), response.body()), (System.nanoTime() - sentAt) / 1_000);
                        inFlight.decrementAndGet();
                        Matcher m = TOKEN.matcher(response.body());
                        if (response.status() == 200 && m.find()) {
                            sessions.set(user, m.group(1));
                            busy.set(user, 0);
                        } else {
                            retryRelogin(sessions, busy, user, attempt);
                        }
                    },
                    error -> {
                        stats.record(classify(error), (System.nanoTime() - sentAt) / 1_000);
                        inFlight.decrementAndGet();
                        retryRelogin(sessions, busy, user, attempt);
                    });
        });
    }

    /** After a failed login: another after an exponential, fully jittered backoff, or give up until the next refusal. */
    private void retryRelogin(AtomicReferenceArray<String> sessions, AtomicIntegerArray busy, int user, int attempt) {
        if (attempt >= RELOGIN_ATTEMPTS || stopped) {
            busy.set(user, 0);
            return;
        }
        Duration backoff = RELOGIN_BACKOFF.multipliedBy(1L << (attempt - 1));
        attemptRelogin(sessions, busy, user, attempt + 1, randomMillis(backoff.compareTo(RELOGIN_BACKOFF_CAP) < 0 ? backoff : RELOGIN_BACKOFF_CAP));
    }

    /** Uniform in [0, bound], from the plan's seed. */
    private long randomMillis(Duration bound) {
        return jitter.nextLong(bound.toMillis() + 1);
    }

    private record Response(int status, String contentType, String body) {
    }

    /** A POST of {@code body}, with the header {@code header: value} when both are given. */
    private Mono<Response> send(Route route, String body, String header, String value) {
        return client
                .headers(h -> {
                    h.set("content-type", "application/json");
                    if (header != null && value != null) {
                        h.set(header, value);
                    }
                })
                .post().uri(route.path())
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(response.status().code(), response.responseHeaders().get("content-type"), text)));
    }

    private String loginBody() {
        return "{\"username\":\"" + credentials.username() + "\",\"password\":\"" + credentials.password() + "\"}";
    }

    private void offerLogoutToken(String token) {
        synchronized (logoutTokens) {
            if (logoutTokens.size() < 50_000) {
                logoutTokens.add(token);
            }
        }
    }

    private String pollLogoutToken() {
        synchronized (logoutTokens) {
            return logoutTokens.poll();
        }
    }

    static Outcome classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException
                    || t instanceof ConnectTimeoutException) {
                return Outcome.TIMEOUT;
            }
        }
        return Outcome.CONNECTION_ERROR;
    }

    /** Stops sending and waits up to {@code drain} for requests still in flight. */
    @Override
    public void stop(Duration drain) {
        stopped = true;
        if (pacer != null) {
            try {
                pacer.join(1_000);
                long deadline = System.nanoTime() + drain.toNanos();
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the plan has been sent and answered (or {@code drain} has passed after its end). */
    @Override
    public void awaitEnd(Duration drain) throws InterruptedException {
        if (pacer != null) {
            pacer.join();
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public RouteSeries series(Route route) {
        return series.get(route);
    }

    /** How late the pacer sent requests, over the whole run (microseconds). */
    @Override
    public Histogram lag() {
        synchronized (lag) {
            return lag.copy();
        }
    }

    /** The pacer's worst lateness in each second (microseconds). */
    @Override
    public Map<Integer, Long> worstLagBySecond() {
        Map<Integer, Long> out = new TreeMap<>();
        lagMicrosBySecond.forEach((s, v) -> out.put(s, v.get()));
        return out;
    }

    @Override
    public void close() {
        stopped = true;
        pool.disposeLater().block(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
    }
}
