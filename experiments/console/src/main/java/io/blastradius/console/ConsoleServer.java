package io.blastradius.console;

import io.blastradius.engine.HtmlReport;
import io.blastradius.engine.ManualFaults;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The console's HTTP side, on loopback only: the page and its assets, the state, the events (server-sent),
 * starting a run, the emergency stop, and each run's report. Every request must carry the console's token
 * (in the URL or the cookie the page gets with it); every request that changes something must also carry it
 * in the {@value #TOKEN_HEADER} header, which no other site's page can set; a Host other than the loopback
 * address and port is refused (no DNS rebinding).
 */
final class ConsoleServer implements AutoCloseable {

    static final String TOKEN_HEADER = "X-Blastradius-Token";
    static final String COOKIE = "blastradius_console";
    /** The largest request body read: a run's list of experiments is a few hundred bytes. */
    static final int MAX_BODY = 64 * 1024;
    /** A declared body past {@link #MAX_BODY} but within this is drained, so that its 413 reaches the client. */
    static final int DRAIN_LIMIT = 1024 * 1024;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> ASSETS = Map.of(
            "console.js", "application/javascript", "console.css", "text/css",
            "uPlot.iife.min.js", "application/javascript", "uPlot.min.css", "text/css");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self';"
            + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final String REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;"
            + " connect-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Runs runs;
    private final LiveFeed feed;
    private final byte[] token;
    private final DisposableServer server;
    private final Set<String> hosts;

    ConsoleServer(Runs runs, LiveFeed feed, String token, int port) {
        this.runs = runs;
        this.feed = feed;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create().host("127.0.0.1").port(port)
                .route(routes -> routes
                        .get("/", (req, res) -> page(req, res))
                        .get("/assets/{name}", this::asset)
                        .get("/api/state", (req, res) -> guarded(req, res, false, () -> Mono.fromCallable(this::state)
                                .subscribeOn(Schedulers.boundedElastic()).flatMap(state -> json(res, HttpResponseStatus.OK, state))))
                        .get("/api/events", this::events)
                        .post("/api/run", this::run)
                        .post("/api/stop", this::stop)
                        .post("/api/fault", this::fault)
                        .post("/api/fault/undo", this::undoFault)
                        .get("/runs/{run}/report.html", this::report)
                        .route(req -> true, (req, res) -> error(res, HttpResponseStatus.NOT_FOUND, "no such page: " + req.path())))
                .bindNow();
        this.hosts = Set.of("127.0.0.1:" + server.port(), "localhost:" + server.port());
    }

    int port() {
        return server.port();
    }

    /** What a browser opens: the page, with the token. */
    String url() {
        return "http://127.0.0.1:" + server.port() + "/?token=" + new String(token, StandardCharsets.UTF_8);
    }

    private Publisher<Void> page(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, false, () -> res.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HttpHeaderNames.SET_COOKIE, COOKIE + "=" + new String(token, StandardCharsets.UTF_8)
                        + "; Path=/; HttpOnly; SameSite=Strict")
                .sendString(Mono.just(resource("index.html"))));
    }

    private Publisher<Void> asset(HttpServerRequest req, HttpServerResponse res) {
        String name = req.param("name");
        String type = ASSETS.get(name);
        if (type == null) {
            return error(res, HttpResponseStatus.NOT_FOUND, "no such asset: " + name);
        }
        return guarded(req, res, false, () -> res.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, type + "; charset=utf-8")
                .sendString(Mono.just(name.startsWith("uPlot") ? uplot(name) : resource(name))));
    }

    private Publisher<Void> events(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, false, () -> {
            Flux<String> events = feed.events().map(json -> "data: " + json + "\n\n");
            Flux<String> heartbeat = Flux.interval(HEARTBEAT).map(n -> ": still here\n\n");
            return res.sse().header(HttpHeaderNames.CACHE_CONTROL, "no-store").sendString(Flux.merge(events, heartbeat));
        });
    }

    private Publisher<Void> run(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, true, () -> body(req).flatMap(body -> {
            List<String> names = new ArrayList<>();
            try {
                JsonNode experiments = JSON.readTree(body).path("experiments");
                if (!experiments.isArray()) {
                    return json(res, HttpResponseStatus.BAD_REQUEST, Map.of("error", "expected {\"experiments\": [\"name\", ...]}"));
                }
                experiments.forEach(n -> names.add(n.asString()));
            } catch (JacksonException e) {
                return json(res, HttpResponseStatus.BAD_REQUEST, Map.of("error", "the body is not JSON: " + e.getOriginalMessage()));
            }
            try {
                Runs.Run run = runs.start(names);
                return json(res, HttpResponseStatus.ACCEPTED, Map.of("run", run.number(), "experiments", run.experiments()));
            } catch (IllegalStateException e) {
                return json(res, HttpResponseStatus.CONFLICT, Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                return json(res, HttpResponseStatus.BAD_REQUEST, Map.of("error", e.getMessage()));
            }
        }).onErrorResume(TooLarge.class, e -> tooLarge(res, e)));
    }

    /** 413, and the connection closed after it: the rest of the body is not read. */
    private static Mono<Void> tooLarge(HttpServerResponse res, TooLarge e) {
        return error(res.keepAlive(false), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
    }

    /** A request body past {@link #MAX_BODY}. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("the body is larger than " + MAX_BODY + " bytes");
        }
    }

    /** A fault by hand: {@code {"fault": {...}, "for": "30s"}}; 201 with its id and when it ends by itself. */
    private Publisher<Void> fault(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, true, () -> body(req).flatMap(body -> Mono.fromCallable(() -> {
                    try {
                        ManualFaults.Placed placed = runs.fault(ManualFaultRequest.parse(JSON.readTree(body)));
                        return new Answer(HttpResponseStatus.CREATED, Map.of("id", placed.id(), "label", placed.label(), "until", placed.until().toString()));
                    } catch (JacksonException e) {
                        return new Answer(HttpResponseStatus.BAD_REQUEST, Map.of("error", "the body is not JSON: " + e.getOriginalMessage()));
                    } catch (IllegalStateException e) {
                        return new Answer(HttpResponseStatus.CONFLICT, Map.of("error", e.getMessage()));
                    } catch (IllegalArgumentException e) {
                        return new Answer(HttpResponseStatus.BAD_REQUEST, Map.of("error", e.getMessage()));
                    } catch (RuntimeException e) {
                        return new Answer(HttpResponseStatus.UNPROCESSABLE_ENTITY, Map.of("error", "could not apply it: " + e.getMessage()));
                    }
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(answer -> json(res, answer.status(), answer.body()))
                .onErrorResume(TooLarge.class, e -> tooLarge(res, e)));
    }

    private Publisher<Void> undoFault(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, true, () -> body(req).flatMap(body -> Mono.fromCallable(() -> {
                    String id = JSON.readTree(body).path("id").asString("");
                    return runs.undoFault(id) ? new Answer(HttpResponseStatus.OK, Map.of("undone", id))
                            : new Answer(HttpResponseStatus.NOT_FOUND, Map.of("error", "no fault by hand '" + id + "' is in place"));
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(answer -> json(res, answer.status(), answer.body()))
                .onErrorResume(JacksonException.class, e -> error(res, HttpResponseStatus.BAD_REQUEST, "the body is not JSON: " + e.getOriginalMessage()))
                .onErrorResume(TooLarge.class, e -> tooLarge(res, e)));
    }

    /** A status and a body, worked out off the event loop. */
    private record Answer(HttpResponseStatus status, Object body) {
    }

    private Publisher<Void> stop(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, true, () -> Mono.fromCallable(() -> {
                    long began = System.nanoTime();
                    try {
                        return runs.stop() ? new Answer(HttpResponseStatus.OK, Map.of("stopped", true,
                                "millis", Duration.ofNanos(System.nanoTime() - began).toMillis()))
                                : new Answer(HttpResponseStatus.CONFLICT, Map.of("error", "no run in progress and no fault by hand in place"));
                    } catch (IllegalStateException e) {
                        return new Answer(HttpResponseStatus.GATEWAY_TIMEOUT, Map.of("error", e.getMessage()));
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(answer -> json(res, answer.status(), answer.body())));
    }

    private Publisher<Void> report(HttpServerRequest req, HttpServerResponse res) {
        return guarded(req, res, false, () -> {
            String run = req.param("run");
            Optional<Path> folder = run != null && run.matches("\\d{1,6}") ? runs.folder(Integer.parseInt(run)) : Optional.empty();
            Path report = folder.map(f -> f.resolve("report.html")).filter(Files::isRegularFile).orElse(null);
            if (report == null) {
                return error(res, HttpResponseStatus.NOT_FOUND, "no report for run " + run + " (yet)");
            }
            // report.html is one self-contained file: its charts are inline scripts, which the page's own policy forbids
            return res.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                    .header("Content-Security-Policy", REPORT_CSP).sendFile(report);
        });
    }

    /** The catalog's plans, the runs so far, and whether one is going. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("startsRuns", runs.startsRuns());
        state.put("manualFaults", runs.manualFaults());
        state.put("catalog", runs.catalog().values().stream().map(Plans::of).toList());
        state.put("runs", runs.runs().stream().map(r -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("number", r.number());
            one.put("experiments", r.experiments());
            one.put("startedAt", r.startedAt().toString());
            one.put("verdicts", r.verdicts());
            one.put("done", r.done());
            one.put("report", r.done() && Files.isRegularFile(r.folder().resolve("report.html")) ? "runs/" + r.number() + "/report.html" : "");
            return one;
        }).toList());
        return state;
    }

    /**
     * The request's answer if it is allowed: from loopback's own host name, with the token (in the URL or the
     * cookie; for a change, in the header too); else 403 or 421 and why.
     */
    private Publisher<Void> guarded(HttpServerRequest req, HttpServerResponse res, boolean changes, Supplier<Publisher<Void>> answer) {
        res.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer");
        String host = req.requestHeaders().get(HttpHeaderNames.HOST);
        if (host == null || !hosts.contains(host)) {
            return error(res, HttpResponseStatus.MISDIRECTED_REQUEST, "this console answers only at 127.0.0.1:" + server.port());
        }
        if (changes ? !matches(req.requestHeaders().get(TOKEN_HEADER)) : !(matches(query(req, "token")) || matches(cookie(req)))) {
            return error(res, HttpResponseStatus.FORBIDDEN, changes
                    ? "a change needs the console's token in the " + TOKEN_HEADER + " header (the page sends it)"
                    : "this console needs its token: open the URL it printed when it started");
        }
        return answer.get();
    }

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static String query(HttpServerRequest req, String name) {
        List<String> values = new QueryStringDecoder(req.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String cookie(HttpServerRequest req) {
        Set<Cookie> cookies = req.cookies().get(COOKIE);
        return cookies == null || cookies.isEmpty() ? null : cookies.iterator().next().value();
    }

    private static Mono<String> body(HttpServerRequest req) {
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && (!length.matches("\\d{1,9}") || Long.parseLong(length) > MAX_BODY)) {
            // a declared body up to DRAIN_LIMIT is read and dropped before the 413: closing on unread bytes resets the
            // connection, and a client still sending would see the reset instead of the answer
            return length.matches("\\d{1,9}") && Long.parseLong(length) <= DRAIN_LIMIT
                    ? req.receive().then(Mono.error(new TooLarge())) : Mono.error(new TooLarge());
        }
        // counted as it comes, so that a chunked body cannot grow past the limit in memory either
        return req.receive().reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.readableBytes() > MAX_BODY) {
                        throw new TooLarge();
                    }
                    byte[] bytes = new byte[chunk.readableBytes()];
                    chunk.readBytes(bytes);
                    out.writeBytes(bytes);
                    return out;
                })
                .map(out -> out.toString(StandardCharsets.UTF_8))
                .defaultIfEmpty("");
    }

    private static Mono<Void> json(HttpServerResponse res, HttpResponseStatus status, Object body) {
        return res.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json").header(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .sendString(Mono.just(JSON.writeValueAsString(body))).then();
    }

    private static Mono<Void> error(HttpServerResponse res, HttpResponseStatus status, String message) {
        return json(res, status, Map.of("error", message));
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the console's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uplot(String name) {
        try {
            return HtmlReport.uplot(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving, waiting a little for open answers; also from a thread a stop or Ctrl-C has interrupted. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            server.disposeNow(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            server.dispose();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
