package io.blastradius.kubernetes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The forward's own logic on real loopback sockets, the tunnel standing in for the API server's WebSocket. */
class PodForwardTest {

    /** A tunnel whose "pod" writes its name and the port, then closes. */
    private static final PodForward.Tunnel NAMING = (pod, port, connection) -> {
        try (connection) {
            connection.write(ByteBuffer.wrap((pod + ":" + port).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return PortForwards.of(() -> false, () -> { });
    };

    private static String read(PodForward forward) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", forward.localPort())) {
            socket.setSoTimeout(5000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void everyConnectionGoesToThePodThatIsReadyWhenItIsMade() throws IOException {
        AtomicReference<Optional<String>> ready = new AtomicReference<>(Optional.of("gateway-1"));
        List<String> asked = new CopyOnWriteArrayList<>();
        try (PodForward forward = new PodForward("gateway", 8080, d -> {
            asked.add(d);
            return ready.get();
        }, NAMING)) {
            assertThat(forward.url().toString()).isEqualTo("http://127.0.0.1:" + forward.localPort());
            assertThat(read(forward)).isEqualTo("gateway-1:8080");
            ready.set(Optional.of("gateway-2"));
            assertThat(read(forward)).isEqualTo("gateway-2:8080");
            assertThat(asked).containsOnly("gateway");
        }
    }

    @Test
    void aConnectionWhileNoPodIsReadyIsClosedAtOnceAndTheNextOneStillWorks() throws IOException {
        AtomicReference<Optional<String>> ready = new AtomicReference<>(Optional.empty());
        try (PodForward forward = new PodForward("auth-service", 8081, d -> ready.get(), NAMING)) {
            assertThat(read(forward)).isEmpty();
            ready.set(Optional.of("auth-service-3"));
            assertThat(read(forward)).isEqualTo("auth-service-3:8081");
        }
    }

    @Test
    void aTunnelThatFailsClosesThatConnectionOnly() throws IOException {
        AtomicReference<Boolean> fail = new AtomicReference<>(true);
        try (PodForward forward = new PodForward("redis", 6379, d -> Optional.of("redis-1"), (pod, port, connection) -> {
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("403");
            }
            return NAMING.open(pod, port, connection);
        })) {
            assertThat(read(forward)).isEmpty();
            assertThat(read(forward)).isEqualTo("redis-1:6379");
        }
    }

    @Test
    void closingStopsListening() throws IOException {
        PodForward forward = new PodForward("gateway", 8080, d -> Optional.of("gateway-1"), NAMING);
        int port = forward.localPort();
        forward.close();
        // the port is free again: it can be bound (a connection attempt is no proof: now and then Linux connects a
        // loopback socket to itself when its own ephemeral port is the one it dials)
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
