package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import io.blastradius.environment.Endpoints;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator against a small real HTTP server on its own event loops, which can stall or fail on cue. */
class LoadGeneratorTest {

    static final Endpoints.Credentials DEMO = new Endpoints.Credentials("key", "demo", "pw");

    DisposableServer server;
    LoopResources serverLoops;
    LoadGenerator generator;

    @AfterEach
    void stop() {
        if (generator != null) {
            generator.close();
        }
        if (server != null) {
            server.disposeNow();
        }
        if (serverLoops != null) {
            serverLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
        }
    }

    /** A server whose every answer comes from {@code answer}, given the time since the first request. */
    void serve(Function<Long, Mono<Object[]>> answer) {
        AtomicLong first = new AtomicLong();
        serverLoops = LoopResources.create("test-server", 1, true);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(serverLoops)
                .handle((request, response) -> request.receive().then(Mono.defer(() -> {
                    first.compareAndSet(0, System.nanoTime());
                    return answer.apply((System.nanoTime() - first.get()) / 1_000_000);
                })).flatMap(reply -> response.status((Integer) reply[0]).header("content-type", "application/json")
                        .sendString(Mono.just((String) reply[1])).then()))
                .bindNow();
        generator = new LoadGenerator(URI.create("http://127.0.0.1:" + server.port()), DEMO, Duration.ofSeconds(5));
    }

    static LoadPlan plan(Route route, double rate, Duration length) {
        return new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, length, Map.of(route, rate))));
    }

    @Test
    void sendsExactlyThePlannedRequestsAndAStallShowsInTheLatencyFromTheIntendedTime() throws Exception {
        // every request that arrives between 1 s and 3 s is held until 3 s: a 2 s stall
        serve(ms -> {
            Mono<Object[]> ok = Mono.just(new Object[] {200, "{\"ok\":true}"});
            return ms >= 1_000 && ms < 3_000 ? ok.delayElement(Duration.ofMillis(3_000 - ms)) : ok;
        });
        generator.start(plan(Route.API, 200, Duration.ofSeconds(4)));
        generator.awaitEnd(Duration.ofSeconds(10));

        RouteSeries api = generator.series(Route.API);
        assertThat(api.seconds().stream().mapToLong(SecondStats::sentCount).sum()).isEqualTo(800);
        assertThat(api.seconds().stream().mapToLong(SecondStats::completed).sum()).isEqualTo(800);
        assertThat(api.seconds()).allSatisfy(s -> assertThat(s.count(Outcome.SUCCESS)).isEqualTo(s.sentCount()));
        assertThat(api.latency(1, 3).getValueAtPercentile(99)).as("p99 in the stall, µs").isGreaterThanOrEqualTo(1_000_000);
        assertThat(api.latency(1, 2).getMaxValue()).as("the first request of the stall waited ~2 s").isGreaterThanOrEqualTo(1_500_000);
    }

    @Test
    void failuresAreClassifiedAndKeepTheTimeTheyTook() throws Exception {
        serve(ms -> Mono.just(new Object[] {503, "{\"type\":\"error\"}"}));
        generator.start(plan(Route.LOGIN, 50, Duration.ofSeconds(1)));
        generator.awaitEnd(Duration.ofSeconds(5));
        SecondStats second = generator.series(Route.LOGIN).seconds().get(0);
        assertThat(second.count(Outcome.GRACEFUL)).isEqualTo(50);
        assertThat(second.latency().getTotalCount()).isEqualTo(50);

        assertThat(Outcome.of(500, "application/json", "{}")).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(Outcome.of(503, "text/html", "<html>")).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(Outcome.of(429, "application/json", "{\"x\":1}")).isEqualTo(Outcome.GRACEFUL);
    }

    @Test
    void aServerThatNeverAnswersGivesTimeoutsWithTheirElapsedTime() throws Exception {
        serve(ms -> Mono.never());
        generator.close();
        generator = new LoadGenerator(URI.create("http://127.0.0.1:" + server.port()), DEMO, Duration.ofMillis(300));
        generator.start(plan(Route.API, 20, Duration.ofSeconds(1)));
        generator.awaitEnd(Duration.ofSeconds(5));

        SecondStats second = generator.series(Route.API).seconds().get(0);
        assertThat(second.count(Outcome.TIMEOUT)).isEqualTo(20);
        assertThat(second.latency().getMinValue()).as("µs").isGreaterThanOrEqualTo(300_000);
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws Exception {
        serve(ms -> Mono.just(new Object[] {200, "{}"}));
        int port = server.port();
        server.disposeNow();
        server = null;
        generator.close();
        generator = new LoadGenerator(URI.create("http://127.0.0.1:" + port), DEMO, Duration.ofSeconds(1));
        generator.start(plan(Route.API, 10, Duration.ofSeconds(1)));
        generator.awaitEnd(Duration.ofSeconds(5));

        assertThat(generator.series(Route.API).seconds().get(0).count(Outcome.CONNECTION_ERROR)).isEqualTo(10);
    }

    @Test
    void sessionsAnotherLoadLeftAreSpentBeforeAnyNewLogin() throws Exception {
        // a login answers a new token; a logout or app call with it is recorded
        AtomicLong logins = new AtomicLong();
        List<String> used = Collections.synchronizedList(new ArrayList<>());
        serverLoops = LoopResources.create("test-server", 1, true);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(serverLoops)
                .handle((request, response) -> request.receive().then().then(Mono.defer(() -> {
                    if (request.uri().equals(Route.LOGIN.path())) {
                        String token = String.format("%043d", logins.incrementAndGet());
                        return response.header("content-type", "application/json").sendString(Mono.just("{\"token\":\"" + token + "\"}")).then();
                    }
                    used.add(request.uri() + " " + request.requestHeaders().get("authorization"));
                    return response.header("content-type", "application/json").sendString(Mono.just("{}")).then();
                })))
                .bindNow();
        URI url = URI.create("http://127.0.0.1:" + server.port());
        LoadPlan plan = new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(2), Map.of(Route.APP, 2.0, Route.LOGOUT, 5.0))));

        generator = new LoadGenerator(url, DEMO, Duration.ofSeconds(5));
        generator.prepare(plan, Load.Sessions.NONE);
        assertThat(logins).as("8 app sessions and one per logout").hasValue(8 + 10);
        Load.Sessions left = generator.unspent();
        assertThat(left.app()).hasSize(8);
        assertThat(left.logout()).hasSize(10);
        generator.close();

        generator = new LoadGenerator(url, DEMO, Duration.ofSeconds(5));
        generator.prepare(plan, new Load.Sessions(left.app(), left.logout().subList(0, 4)));
        assertThat(logins).as("only the 6 logout sessions not given").hasValue(18 + 6);
        generator.start(plan);
        generator.awaitEnd(Duration.ofSeconds(5));
        List<String> logouts = used.stream().filter(u -> u.startsWith(Route.LOGOUT.path())).toList();
        assertThat(logouts).hasSize(10).doesNotHaveDuplicates()
                .as("the given sessions are spent first").startsWith(left.logout().subList(0, 4).stream()
                        .map(token -> Route.LOGOUT.path() + " Bearer " + token).toArray(String[]::new));
        assertThat(used).filteredOn(u -> u.startsWith(Route.APP.path())).hasSize(4)
                .allSatisfy(u -> assertThat(left.app()).contains(u.substring(u.indexOf("Bearer ") + 7)));
        assertThat(generator.unspent().logout()).as("every logout session was spent").isEmpty();
    }

    /**
     * A session store in a server: a login makes a token (the first {@code refusedLogins} after the store is lost get
     * a 429), an app call with a token it holds succeeds and with any other gets a JSON 401; at {@code loseAtMillis}
     * after its first app call the store loses every session, as Redis restarting empty does.
     */
    AtomicLong sessionServer(long loseAtMillis, int refusedLogins, AtomicLong logins, AtomicLong loginsAfterLoss) {
        java.util.Set<String> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicLong first = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicLong refused = new AtomicLong();
        serverLoops = LoopResources.create("test-server", 1, true);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(serverLoops)
                .handle((request, response) -> request.receive().then().then(Mono.defer(() -> {
                    String status = "200";
                    String body;
                    if (request.uri().equals(Route.LOGIN.path())) {
                        logins.incrementAndGet();
                        if (lost.get()) {
                            loginsAfterLoss.incrementAndGet();
                        }
                        if (lost.get() && refused.incrementAndGet() <= refusedLogins) {
                            status = "429";
                            body = "{\"type\":\"error\",\"error\":{\"message\":\"slow down\"}}";
                        } else {
                            String token = String.format("%043d", logins.get());
                            sessions.add(token);
                            body = "{\"token\":\"" + token + "\"}";
                        }
                    } else {
                        first.compareAndSet(0, System.nanoTime());
                        if ((System.nanoTime() - first.get()) / 1_000_000 >= loseAtMillis && lost.compareAndSet(false, true)) {
                            sessions.clear();
                        }
                        String auth = request.requestHeaders().get("authorization", "");
                        if (sessions.contains(auth.replace("Bearer ", ""))) {
                            body = "{}";
                        } else {
                            status = "401";
                            body = "{\"type\":\"error\",\"error\":{\"message\":\"unknown or expired session\"}}";
                        }
                    }
                    return response.status(Integer.parseInt(status)).header("content-type", "application/json").sendString(Mono.just(body)).then();
                })))
                .bindNow();
        generator = new LoadGenerator(URI.create("http://127.0.0.1:" + server.port()), DEMO, Duration.ofSeconds(5));
        return refused;
    }

    @Test
    void usersWhoseSessionIsLostAreLoggedOutAndLogInAgainThroughTheLoginRoute() throws Exception {
        AtomicLong logins = new AtomicLong();
        AtomicLong loginsAfterLoss = new AtomicLong();
        // lost half a second after second 0's last call is due, so that a stall of the machine does not reach into second 0
        sessionServer(1_500, 3, logins, loginsAfterLoss);
        LoadPlan plan = new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(6), Map.of(Route.APP, 40.0))), 10, 42);
        generator.prepare(plan, Load.Sessions.NONE);
        assertThat(logins).as("one session per user").hasValue(10);
        generator.start(plan);
        generator.awaitEnd(Duration.ofSeconds(10));

        RouteSeries app = generator.series(Route.APP);
        long loggedOut = app.seconds().stream().mapToLong(s -> s.count(Outcome.LOGGED_OUT)).sum();
        assertThat(loggedOut).as("refused sessions are their own outcome").isGreaterThan(0);
        assertThat(app.seconds().stream().mapToLong(s -> s.count(Outcome.HTTP_ERROR)).sum()).isZero();
        assertThat(app.second(0).orElseThrow().count(Outcome.SUCCESS)).as("before the loss").isEqualTo(40);
        assertThat(app.seconds().get(app.seconds().size() - 1).count(Outcome.SUCCESS)).as("every user logged in again").isEqualTo(40);

        RouteSeries login = generator.series(Route.LOGIN);
        long relogins = login.seconds().stream().mapToLong(SecondStats::relogins).sum();
        assertThat(relogins).as("each user once, plus one per refused login (retried)")
                .isEqualTo(loginsAfterLoss.get()).isEqualTo(10 + 3);
        assertThat(login.seconds().stream().mapToLong(s -> s.count(Outcome.GRACEFUL)).sum()).as("the refused logins, recorded").isEqualTo(3);
        assertThat(login.seconds().stream().mapToLong(s -> s.count(Outcome.SUCCESS)).sum()).isEqualTo(10);
        assertThat(generator.unspent().app()).as("the users' new sessions").hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(token -> assertThat(Long.parseLong(token)).isGreaterThan(10));
    }

    @Test
    void aGracefulRefusalIsNotALogoutAndSendsNoLogin() throws Exception {
        // the negative control: a 503 from a session store that is down keeps the session; nobody logs in again
        AtomicLong logins = new AtomicLong();
        serverLoops = LoopResources.create("test-server", 1, true);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(serverLoops)
                .handle((request, response) -> request.receive().then().then(Mono.defer(() -> {
                    if (request.uri().equals(Route.LOGIN.path())) {
                        logins.incrementAndGet();
                    }
                    return response.status(503).header("content-type", "application/json").sendString(Mono.just("{\"type\":\"error\"}")).then();
                })))
                .bindNow();
        generator = new LoadGenerator(URI.create("http://127.0.0.1:" + server.port()), DEMO, Duration.ofSeconds(5));
        LoadPlan plan = new LoadPlan(List.of(new LoadPlan.Window(Duration.ZERO, Duration.ofSeconds(1), Map.of(Route.APP, 20.0))), 4, 1);
        generator.prepare(plan, new Load.Sessions(List.of("1".repeat(43), "2".repeat(43), "3".repeat(43), "4".repeat(43)), List.of()));
        generator.start(plan);
        generator.awaitEnd(Duration.ofSeconds(5));
        Thread.sleep(LoadGenerator.RELOGIN_JITTER.toMillis() + 200);

        assertThat(generator.series(Route.APP).seconds().get(0).count(Outcome.GRACEFUL)).isEqualTo(20);
        assertThat(logins).as("no login again after a 503").hasValue(0);
        assertThat(generator.series(Route.LOGIN).seconds()).isEmpty();
    }
}
