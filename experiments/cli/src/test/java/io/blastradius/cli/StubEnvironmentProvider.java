package io.blastradius.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A whole new environment in one file and one line of {@code META-INF/services}, as a module of its own
 * would add it, with no change anywhere else: a stand-in gateway on a loopback port whose public API
 * fails fast (503 JSON) while "inference-stub" is paused, and processes that can be paused but never
 * started again. {@code blastradius run --env stub} finds it by name.
 */
public final class StubEnvironmentProvider implements EnvironmentProvider {

    static final String TOKEN = "t".repeat(43);

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public String description() {
        return "a stand-in gateway for the CLI's own tests";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.PROCESS_SIGNALS);
    }

    @Override
    public Environment open(EnvironmentRequest request) {
        return new Stub();
    }

    @Override
    public Environment reattach(Map<String, String> parameters) {
        throw new EnvironmentException("a stub environment ends with its run");
    }

    static final class Stub implements Environment, Processes {
        private final Map<Service, State> states = new EnumMap<>(Service.class);
        private final HttpServer server;

        Stub() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            } catch (IOException e) {
                throw new EnvironmentException("no loopback port for the stub gateway: " + e.getMessage(), e);
            }
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/v1/messages", exchange -> answer(exchange, state(Service.INFERENCE_STUB) == State.RUNNING
                    ? 200 : 503, state(Service.INFERENCE_STUB) == State.RUNNING ? "{\"type\":\"message\"}"
                    : "{\"type\":\"error\",\"error\":{\"type\":\"upstream_unavailable_error\",\"message\":\"paused\"}}"));
            server.createContext("/auth/login", exchange -> answer(exchange, 200, "{\"token\":\"" + TOKEN + "\"}"));
            server.start();
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public String name() {
            return "stub";
        }

        @Override
        public Endpoints endpoints() {
            return Endpoints.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    new Endpoints.Credentials("key", "user", "password"));
        }

        @Override
        public Optional<Processes> processes() {
            return Optional.of(this);
        }

        @Override
        public EnvironmentRef reattach() {
            return new EnvironmentRef("stub", Map.of());
        }

        @Override
        public synchronized State state(Service service) {
            return states.getOrDefault(service, State.RUNNING);
        }

        @Override
        public void kill(Service service) {
            throw new EnvironmentException("the stub cannot kill");
        }

        @Override
        public void stop(Service service) {
            throw new EnvironmentException("the stub cannot stop");
        }

        @Override
        public synchronized void pause(Service service) {
            states.put(service, State.PAUSED);
        }

        @Override
        public synchronized void resume(Service service) {
            states.put(service, State.RUNNING);
        }

        @Override
        public boolean canStart() {
            return false;
        }

        @Override
        public void start(Service service) {
            throw new EnvironmentException("the stub cannot start anything");
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
