package io.blastradius.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A downstream stand-in on a real loopback socket, for testing one service without its neighbours:
 * each route answers through a handler; {@link #delayMillis} slows every answer, {@link #stop()} takes
 * it away. The end-to-end tests use the real neighbours instead.
 */
public final class FakeService implements AutoCloseable {

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        Answer handle(String method, String path, String body, HttpExchange exchange);
    }

    /** A status and a JSON body (null for none); return null from a handler that wrote its own response. */
    public record Answer(int status, String json) {
    }

    private final HttpServer server;
    public final AtomicLong delayMillis = new AtomicLong();
    public final AtomicLong requests = new AtomicLong();

    private FakeService(HttpServer server) {
        this.server = server;
    }

    public static FakeService start(String contextPath, Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.setExecutor(Executors.newFixedThreadPool(64));
            FakeService fake = new FakeService(server);
            server.createContext(contextPath, exchange -> fake.serve(exchange, handler));
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve(HttpExchange exchange, Handler handler) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            long delay = delayMillis.get();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            Answer answer = handler.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body, exchange);
            if (answer == null) {
                return;
            }
            byte[] bytes = answer.json() == null ? new byte[0] : answer.json().getBytes(StandardCharsets.UTF_8);
            if (answer.json() != null) {
                exchange.getResponseHeaders().set("content-type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
