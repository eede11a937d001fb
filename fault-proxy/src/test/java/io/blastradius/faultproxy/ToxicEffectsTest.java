package io.blastradius.faultproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.regex.Pattern;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What each toxic does to real traffic on real sockets. Bounds are one-sided (a toxic of D ms delays by
 * at least D ms), so a slow machine cannot fail them; accuracy is measured in the benchmark instead.
 */
class ToxicEffectsTest {

    FaultProxy server;
    ToxiproxyClient client;
    final List<ServerSocket> upstreams = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FaultProxy.start(FaultProxyOptions.ofDefaults().withSeed(42));
        client = new ToxiproxyClient("127.0.0.1", server.apiPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (ServerSocket upstream : upstreams) {
            upstream.close();
        }
    }

    Proxy proxyTo(ServerSocket upstream) throws IOException {
        upstreams.add(upstream);
        return client.createProxy("p" + upstreams.size(), "127.0.0.1:0", TestServers.address(upstream));
    }

    static Socket connect(Proxy proxy) throws IOException {
        String[] listen = proxy.getListen().split(":");
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(listen[0], Integer.parseInt(listen[1])), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends {@code bytes} bytes and waits until as many came back; returns the elapsed milliseconds. */
    static long roundTrip(Socket socket, int bytes) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write(new byte[bytes]);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        int got = 0;
        byte[] buffer = new byte[8192];
        while (got < bytes) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("closed after " + got + " bytes");
            }
            got += n;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static int readUntilEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int total = 0;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
        }
        return total;
    }

    String metrics() throws IOException {
        try (InputStream in = URI.create(server.apiUrl() + "/metrics").toURL().openStream()) {
            return new String(in.readAllBytes());
        }
    }

    void awaitMetric(String line) throws IOException {
        awaitMetricMatching(Pattern.quote(line));
    }

    /** A counter that moves when a write completes may move just after the peer has read the bytes: wait up to 5 s. */
    void awaitMetricMatching(String regex) throws IOException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!pattern.matcher(metrics()).find() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(metrics()).containsPattern(pattern);
    }

    @Test
    void withoutToxicsBytesPassUnchanged() throws IOException {
        try (Socket socket = connect(proxyTo(TestServers.echo()))) {
            socket.getOutputStream().write("hello through the proxy".getBytes());
            byte[] back = socket.getInputStream().readNBytes(23);
            assertThat(new String(back)).isEqualTo("hello through the proxy");
        }
    }

    @Test
    void aLatencyToxicDelaysEveryRoundTripByAtLeastItsLatency() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 200);
        try (Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket, 10)).isGreaterThanOrEqualTo(200);
            assertThat(roundTrip(socket, 10)).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void aToxicAddedToALiveConnectionActsAtOnceAndRemovingItRestoresTheConnection() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        try (Socket socket = connect(proxy)) {
            roundTrip(socket, 10);
            // 1.5 s, so that "fast again" cannot be a stall of a busy machine's scheduler
            proxy.toxics().latency("lat", ToxicDirection.UPSTREAM, 1_500);
            assertThat(roundTrip(socket, 10)).isGreaterThanOrEqualTo(1_500);
            proxy.toxics().get("lat").remove();
            assertThat(roundTrip(socket, 10)).as("the same connection, fast again").isLessThan(1_500);
        }
    }

    @Test
    void toxicityZeroSparesEveryConnection() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 1_000).setToxicity(0f);
        try (Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket, 10)).isLessThan(1_000);
        }
    }

    /**
     * A latency toxic "lat" of 1.5 s created at toxicity 0 in one call (the Java client can only create at 1, then
     * update); long enough that a stall of a busy machine is not mistaken for it.
     */
    void addSparingLatency(Proxy proxy) throws IOException, InterruptedException {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.apiUrl() + "/proxies/" + proxy.getName() + "/toxics"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"lat\",\"type\":\"latency\",\"toxicity\":0,"
                        + "\"attributes\":{\"latency\":1500}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    @Test
    void aToxicRemovedAndAddedAgainUnderItsNameRollsAfreshOnALiveConnection() throws Exception {
        Proxy proxy = proxyTo(TestServers.echo());
        try (Socket socket = connect(proxy)) {
            roundTrip(socket, 10);
            addSparingLatency(proxy);
            assertThat(roundTrip(socket, 10)).as("spared at toxicity 0").isLessThan(1_500);
            proxy.toxics().get("lat").remove();
            proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
            assertThat(roundTrip(socket, 10)).as("the new toxic, at toxicity 1, acts").isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aConnectionSparedAtFirstCountsAsReachedWhenAnUpdateHitsIt() throws Exception {
        Proxy proxy = proxyTo(TestServers.echo());
        try (Socket socket = connect(proxy)) {
            roundTrip(socket, 10);
            addSparingLatency(proxy);
            awaitMetric("blastradius_toxic_connections_total{proxy=\"" + proxy.getName() + "\",toxic=\"lat\"} 0");
            proxy.toxics().get("lat").setToxicity(1f);
            assertThat(roundTrip(socket, 10)).isGreaterThanOrEqualTo(1_500);
            awaitMetric("blastradius_toxic_connections_total{proxy=\"" + proxy.getName() + "\",toxic=\"lat\"} 1");
        }
    }

    @Test
    void toxicityIsRolledPerConnectionAndTheSameSeedRollsTheSameWay() throws IOException {
        List<Boolean> first = cutConnections(7);
        List<Boolean> again = cutConnections(7);
        List<Boolean> other = cutConnections(8);

        assertThat(first).contains(true, false);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** Which of 24 connections a limit_data 0 toxic with toxicity 0.5 cut, on a fresh proxy with this seed. */
    List<Boolean> cutConnections(long seed) throws IOException {
        List<Boolean> cut = new ArrayList<>();
        ServerSocket echo = TestServers.echo();
        upstreams.add(echo);
        try (FaultProxy seeded = FaultProxy.start(FaultProxyOptions.ofDefaults().withSeed(seed))) {
            Proxy proxy = new ToxiproxyClient("127.0.0.1", seeded.apiPort())
                    .createProxy("seeded", "127.0.0.1:0", TestServers.address(echo));
            proxy.toxics().limitData("cut", ToxicDirection.UPSTREAM, 0).setToxicity(0.5f);
            for (int i = 0; i < 24; i++) {
                try (Socket socket = connect(proxy)) {
                    socket.getOutputStream().write(1);
                    cut.add(socket.getInputStream().read() < 0);
                }
            }
        }
        return cut;
    }

    @Test
    void limitDataCutsAtExactlyItsByteCountThenCloses() throws IOException {
        Proxy proxy = proxyTo(TestServers.sender(1_200));
        proxy.toxics().limitData("cut", ToxicDirection.DOWNSTREAM, 1_000);
        try (Socket socket = connect(proxy)) {
            assertThat(readUntilEnd(socket)).isEqualTo(1_000);
        }
    }

    @Test
    void resetPeerResetsTheConnection() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 0);
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write(new byte[10]);
            assertThatThrownBy(() -> {
                readUntilEnd(socket);
                socket.getOutputStream().write(new byte[10]);
                readUntilEnd(socket);
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void timeoutHoldsDataThenClosesAnIdleConnection() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 1_000);
        try (Socket socket = connect(proxy)) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write(new byte[10]);
            assertThatThrownBy(() -> socket.getInputStream().read()).as("nothing comes back while held")
                    .isInstanceOf(SocketTimeoutException.class);
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).as("closed after 1 s idle").isEqualTo(-1);
        }
    }

    @Test
    void removingATimeoutToxicClosesTheConnectionsItHeld() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().timeout("hold", ToxicDirection.UPSTREAM, 0);
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write(new byte[10]);
            awaitMetric("blastradius_toxic_chunks_dropped_total{proxy=\"p1\",toxic=\"hold\"} 1");
            proxy.toxics().get("hold").remove();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void disablingDropsLiveConnectionsAndRefusesNewOnesUntilEnabled() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        try (Socket socket = connect(proxy)) {
            roundTrip(socket, 10);
            proxy.disable();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
        }
        proxy.enable();
        try (Socket again = connect(proxy)) {
            again.getOutputStream().write("back up".getBytes());
            assertThat(new String(again.getInputStream().readNBytes(7))).as("echoed through the enabled proxy").isEqualTo("back up");
        }
    }

    @Test
    void bandwidthPacesDataAndRateZeroStallsIt() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 100);
        try (Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket, 30_000)).as("30 KB at 100 KB/s").isGreaterThanOrEqualTo(250);
        }
        proxy.toxics().get("bw", Bandwidth.class).setRate(0);
        try (Socket socket = connect(proxy)) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write(new byte[10]);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void slicerDeliversDataInSmallPiecesSpacedByItsDelay() throws IOException {
        Proxy proxy = proxyTo(TestServers.sender(1_000));
        proxy.toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 100, 20_000);
        try (Socket socket = connect(proxy)) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int reads = 0;
            int total = 0;
            int largest = 0;
            long start = System.nanoTime();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                reads++;
                total += n;
                largest = Math.max(largest, n);
            }
            assertThat(total).isEqualTo(1_000);
            assertThat(reads).isGreaterThan(3);
            assertThat((System.nanoTime() - start) / 1_000_000).as("≥ 8 pieces, 20 ms apart").isGreaterThanOrEqualTo(140);
        }
    }

    @Test
    void slowCloseDelaysTheCloseNotTheData() throws IOException {
        Proxy proxy = proxyTo(TestServers.sender(100));
        proxy.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 400);
        try (Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            assertThat(socket.getInputStream().readNBytes(100)).hasSize(100);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void countersShowThatAFaultReachedTraffic() throws IOException {
        Proxy proxy = proxyTo(TestServers.echo());
        proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 50);
        try (Socket socket = connect(proxy)) {
            roundTrip(socket, 10);
        }
        // the sent-bytes counter moves when the write to the client completes, which may be after it read them
        awaitMetricMatching("toxiproxy_proxy_sent_bytes_total\\{proxy=\"p1\".*direction=\"downstream\"\\} 10");
        assertThat(metrics()).contains("blastradius_toxic_connections_total{proxy=\"p1\",toxic=\"lat\"} 1")
                .contains("blastradius_toxic_chunks_delayed_total{proxy=\"p1\",toxic=\"lat\"} 1");
    }
}
