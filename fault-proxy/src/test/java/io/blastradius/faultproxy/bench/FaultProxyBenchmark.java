package io.blastradius.faultproxy.bench;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.faultproxy.FaultProxy;
import io.blastradius.faultproxy.FaultProxyOptions;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault proxy against a direct loopback connection, measured in one run (figures from different
 * runs on a shared machine do not compare). Not part of {@code verify}; run it with
 *
 * <pre>./mvnw -q -pl fault-proxy test -Dtest=FaultProxyBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * It prints a Markdown report and writes it to {@code fault-proxy/target/benchmark.md}.
 */
class FaultProxyBenchmark {

    static final int CONNECTIONS = 8;
    static final int RATE = 2_000;
    static final int SECONDS = 5;
    static final int MESSAGE = 64;

    @Test
    void proxyVersusDirect() throws Exception {
        StringBuilder report = new StringBuilder();
        try (ServerSocket echo = server(FaultProxyBenchmark::echo);
             ServerSocket sink = server(FaultProxyBenchmark::sink);
             FaultProxy faultProxy = FaultProxy.start(FaultProxyOptions.ofDefaults())) {
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", faultProxy.apiPort());
            Proxy echoProxy = client.createProxy("echo", "127.0.0.1:0", "127.0.0.1:" + echo.getLocalPort());
            Proxy sinkProxy = client.createProxy("sink", "127.0.0.1:0", "127.0.0.1:" + sink.getLocalPort());
            InetSocketAddress echoDirect = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
            InetSocketAddress echoProxied = address(echoProxy.getListen());

            report.append("## Request/response latency, ").append(RATE).append(" req/s over ").append(CONNECTIONS)
                    .append(" connections, ").append(MESSAGE).append("-byte messages, ").append(SECONDS)
                    .append(" s per round, measured from the intended send time\n\n");
            fixedRate(echoDirect, 2);
            fixedRate(echoProxied, 2);
            Histogram direct = new Histogram(3);
            Histogram proxied = new Histogram(3);
            for (int round = 0; round < 2; round++) {
                direct.add(fixedRate(echoDirect, SECONDS));
                proxied.add(fixedRate(echoProxied, SECONDS));
            }
            report.append("| path | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |\n|---|---|---|---|---|---|\n");
            row(report, "direct", direct);
            row(report, "through the proxy", proxied);
            report.append(String.format(Locale.ROOT, "| **ratio proxy/direct** | %.2f | %.2f | %.2f | %.2f | |%n%n",
                    ratio(proxied, direct, 50), ratio(proxied, direct, 90), ratio(proxied, direct, 99), ratio(proxied, direct, 99.9)));

            report.append("## Bulk throughput, one connection, 512 MiB one way into a discarding server\n\n");
            InetSocketAddress sinkDirect = new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort());
            InetSocketAddress sinkProxied = address(sinkProxy.getListen());
            bulk(sinkDirect, 64);
            bulk(sinkProxied, 64);
            double directMBs = Math.max(bulk(sinkDirect, 512), bulk(sinkDirect, 512));
            double proxiedMBs = Math.max(bulk(sinkProxied, 512), bulk(sinkProxied, 512));
            report.append(String.format(Locale.ROOT, "| path | MiB/s (best of 2) |%n|---|---|%n| direct | %.0f |%n"
                    + "| through the proxy | %.0f |%n| **ratio proxy/direct** | %.2f |%n%n", directMBs, proxiedMBs, proxiedMBs / directMBs));

            report.append("## Latency toxic accuracy (downstream latency toxic, 50 sequential round trips each)\n\n");
            report.append("| requested ms | added p50 ms | added p99 ms | error of p50 ms |\n|---|---|---|---|\n");
            double base = sequential(echoProxied, 50).getValueAtPercentile(50) / 1000.0;
            for (int requested : new int[] {5, 20, 100}) {
                echoProxy.toxics().latency("accuracy", ToxicDirection.DOWNSTREAM, requested);
                Histogram h = sequential(echoProxied, 50);
                echoProxy.toxics().get("accuracy").remove();
                double p50 = h.getValueAtPercentile(50) / 1000.0 - base;
                double p99 = h.getValueAtPercentile(99) / 1000.0 - base;
                report.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %+.2f |%n", requested, p50, p99, p50 - requested));
            }
        }
        System.out.println(report);
        Path out = Path.of("target", "benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    /** Open model: each connection sends at its share of the rate; latency counts from the intended time. */
    static Histogram fixedRate(InetSocketAddress target, int seconds) throws Exception {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * CONNECTIONS / RATE;
        long count = (long) RATE * seconds / CONNECTIONS;
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int c = 0; c < CONNECTIONS; c++) {
            Histogram h = new Histogram(3);
            histograms.add(h);
            long offset = periodNanos * c / CONNECTIONS;
            Thread t = new Thread(() -> {
                try (Socket socket = connect(target)) {
                    byte[] message = new byte[MESSAGE];
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (long i = 0; i < count; i++) {
                        long intended = start + offset + i * periodNanos;
                        long wait;
                        while ((wait = intended - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(message);
                        out.flush();
                        in.readNBytes(message, 0, MESSAGE);
                        h.recordValue(Math.max(1, (System.nanoTime() - intended) / 1_000));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Histogram all = new Histogram(3);
        histograms.forEach(all::add);
        return all;
    }

    static Histogram sequential(InetSocketAddress target, int count) throws IOException {
        Histogram h = new Histogram(3);
        try (Socket socket = connect(target)) {
            byte[] message = new byte[MESSAGE];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                socket.getOutputStream().write(message);
                socket.getInputStream().readNBytes(message, 0, MESSAGE);
                h.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
            }
        }
        return h;
    }

    static double bulk(InetSocketAddress target, int mebibytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        long blocks = mebibytes * 16L;
        long start = System.nanoTime();
        try (Socket socket = connect(target)) {
            OutputStream out = socket.getOutputStream();
            for (long i = 0; i < blocks; i++) {
                out.write(block);
            }
            socket.shutdownOutput();
            socket.getInputStream().read();
        }
        return mebibytes / ((System.nanoTime() - start) / 1e9);
    }

    static void row(StringBuilder report, String name, Histogram h) {
        report.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", name, h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()));
    }

    static double ratio(Histogram a, Histogram b, double percentile) {
        return (double) a.getValueAtPercentile(percentile) / b.getValueAtPercentile(percentile);
    }

    static Socket connect(InetSocketAddress target) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(target, 2_000);
        return socket;
    }

    static InetSocketAddress address(String listen) {
        String[] parts = listen.split(":");
        return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    }

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    static ServerSocket server(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    static void echo(Socket socket) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    static void sink(Socket socket) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        InputStream in = socket.getInputStream();
        while (in.read(buffer) >= 0) {
            // discard
        }
    }
}
