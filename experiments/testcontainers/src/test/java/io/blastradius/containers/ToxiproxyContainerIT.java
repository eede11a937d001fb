package io.blastradius.containers;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.Network;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault proxy's image where a team's test uses Toxiproxy's: Testcontainers' own ToxiproxyContainer,
 * the unmodified toxiproxy-java client, a real Redis behind it. The only change from the Testcontainers
 * docs is the image name and {@code asCompatibleSubstituteFor}.
 */
class ToxiproxyContainerIT {

    static Network network;
    static GenericContainer<?> redis;
    static ToxiproxyContainer toxiproxy;

    @BeforeAll
    static void start() {
        DockerOrSkip.requireImages();
        network = Network.newNetwork();
        redis = new GenericContainer<>(Images.of(Service.REDIS)).withNetwork(network).withNetworkAliases("redis")
                .withEnv("REDIS_PASSWORD", "secret").waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        // the two lines a team changes: the image, and that it stands in for Toxiproxy's
        toxiproxy = new ToxiproxyContainer(DockerImageName.parse(Images.FAULT_PROXY).asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy"))
                .withNetwork(network);
        redis.start();
        toxiproxy.start();
    }

    @AfterAll
    static void stop() {
        if (toxiproxy != null) {
            toxiproxy.stop();
            redis.stop();
            network.close();
        }
    }

    @Test
    void aLatencyToxicSlowsRedisAndACutConnectionFailsIt() throws IOException {
        ToxiproxyClient client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
        Proxy proxy = client.createProxy("redis", "0.0.0.0:8666", "redis:6379");
        String host = toxiproxy.getHost();
        int port = toxiproxy.getMappedPort(8666);

        long direct = pingMillis(host, port);
        proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 400).setJitter(0);
        long slowed = pingMillis(host, port);
        proxy.toxics().get("latency").remove();
        proxy.disable();

        assertThat(slowed).as("PING through a 400 ms latency toxic (%d ms without)", direct).isGreaterThanOrEqualTo(400);
        assertThatThrownBy(() -> pingMillis(host, port)).as("a disabled proxy refuses the connection").isInstanceOf(IOException.class);
        proxy.enable();
        assertThatCode(() -> pingMillis(host, port)).as("answers PONG again once enabled").doesNotThrowAnyException();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("redis");
        proxy.delete();
    }

    /** The 1.x API many tests still use: getProxy(container, port) creates the proxy, ContainerProxy drives it. */
    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedContainerWithGetProxyWorksToo() throws IOException {
        try (org.testcontainers.containers.ToxiproxyContainer legacy = new org.testcontainers.containers.ToxiproxyContainer(
                DockerImageName.parse(Images.FAULT_PROXY).asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy")).withNetwork(network)) {
            legacy.start();
            org.testcontainers.containers.ToxiproxyContainer.ContainerProxy proxy = legacy.getProxy(redis, 6379);
            proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, 300);
            assertThat(pingMillis(proxy.getContainerIpAddress(), proxy.getProxyPort())).isGreaterThanOrEqualTo(300);
            proxy.setConnectionCut(true);
            assertThatThrownBy(() -> pingMillis(proxy.getContainerIpAddress(), proxy.getProxyPort())).isInstanceOf(IOException.class);
        }
    }

    /** AUTH and PING over a fresh connection, in milliseconds: "+OK" and "+PONG" or an IOException. */
    static long pingMillis(String host, int port) throws IOException {
        long began = System.nanoTime();
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("AUTH secret\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("+PONG")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after '" + answer + "'");
                }
                answer.append((char) b);
            }
            assertThat(answer.toString()).startsWith("+OK");
        }
        return (System.nanoTime() - began) / 1_000_000;
    }
}
