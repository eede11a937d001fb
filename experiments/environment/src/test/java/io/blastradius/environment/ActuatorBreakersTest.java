package io.blastradius.environment;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "No breakers" and "could not read them" are told apart: only the first is an empty map. */
class ActuatorBreakersTest {

    HttpServer server;

    URI serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/circuitbreakers", exchange -> {
            boolean authorized = ("Bearer right").equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = (authorized ? body : "{\"error\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? status : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void statesAreReadByName() throws IOException {
        URI url = serve(200, "{\"circuitBreakers\":{\"auth\":{\"state\":\"OPEN\"},\"inference\":{\"state\":\"CLOSED\"}}}");

        assertThat(new ActuatorBreakers(url, "right").states()).containsExactly(
                java.util.Map.entry("auth", "OPEN"), java.util.Map.entry("inference", "CLOSED"));
    }

    @Test
    void aGatewayWithNoBreakersIsAnEmptyMap() throws IOException {
        assertThat(new ActuatorBreakers(serve(200, "{\"circuitBreakers\":{}}"), "right").states()).isEmpty();
    }

    @Test
    void aWrongTokenIsAnErrorNotAnEmptyMap() throws IOException {
        URI url = serve(200, "{\"circuitBreakers\":{}}");

        assertThatThrownBy(() -> new ActuatorBreakers(url, "wrong").states()).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("answered 401 (a wrong management token?)");
    }

    @Test
    void aDeadActuatorIsAnError() throws IOException {
        URI url = serve(200, "{}");
        server.stop(0);
        server = null;

        assertThatThrownBy(() -> new ActuatorBreakers(url, "right").states()).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("is unreachable");
    }

    @Test
    void anAnswerWithoutBreakersIsAnError() throws IOException {
        URI url = serve(200, "{\"status\":\"UP\"}");

        assertThatThrownBy(() -> new ActuatorBreakers(url, "right").states()).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("without 'circuitBreakers'");
    }
}
