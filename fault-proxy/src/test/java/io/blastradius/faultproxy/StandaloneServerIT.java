package io.blastradius.faultproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone jar as a drop-in for toxiproxy-server: its flags, its config file, the client against it. */
class StandaloneServerIT {

    @Test
    void theJarTakesToxiproxyServersFlagsAndConfigFile() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = Files.createTempFile("fault-proxy-config", ".json");
        Files.writeString(config, "[{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:5432\","
                + "\"toxics\":[{\"type\":\"latency\",\"attributes\":{\"latency\":250}}]}]");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-jar", Path.of("target", "fault-proxy.jar").toString(),
                "-host", "127.0.0.1", "-port", Integer.toString(port), "-config", config.toString(), "-seed", "3",
                "-proxy-metrics").redirectErrorStream(true).start();
        try {
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", port);
            List<Proxy> proxies = awaitProxies(client, server);
            assertThat(proxies).extracting(Proxy::getName).containsExactly("db");
            assertThat(proxies.get(0).toxics().get("latency_downstream", Latency.class).getLatency()).isEqualTo(250);
            assertThat(client.version()).isEqualTo("{\"version\": \"2.12.0\"}");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void versionFlagPrintsTheVersion() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process version = new ProcessBuilder(java, "-jar", Path.of("target", "fault-proxy.jar").toString(), "-version")
                .redirectErrorStream(true).start();
        assertThat(new String(version.getInputStream().readAllBytes())).contains("version 2.12.0");
        assertThat(version.waitFor()).isZero();
    }

    static List<Proxy> awaitProxies(ToxiproxyClient client, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("the server exited").isTrue();
            try {
                return client.getProxies();
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the server did not answer within 30 s");
    }
}
