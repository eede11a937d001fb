package io.blastradius.faultproxy;

import io.blastradius.faultproxy.internal.ApiHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server, a drop-in for {@code toxiproxy-server}: same flags ({@code -host}, {@code -port},
 * {@code -config}, {@code -seed}, {@code -version}; the metrics flags are accepted, metrics are always on).
 */
@Command(name = "fault-proxy", description = "A Toxiproxy-compatible fault-injection proxy.")
public final class FaultProxyMain implements Callable<Integer> {

    @Option(names = "-host", defaultValue = "localhost", description = "Host for the API (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "-port", defaultValue = "8474", description = "Port for the API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "-config", description = "JSON file of proxies (and toxics) to create at start.")
    Path config;

    @Option(names = "-seed", defaultValue = "0", description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "-version", description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-proxy-metrics", "-runtime-metrics"}, description = "Accepted for compatibility: /metrics is always on.")
    boolean metrics;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws InterruptedException {
        if (version) {
            System.out.println("fault-proxy (toxiproxy-server compatible) version " + ApiHandler.VERSION);
            return 0;
        }
        FaultProxy proxy = FaultProxy.start(new FaultProxyOptions(host, port, config, seed,
                Runtime.getRuntime().availableProcessors()));
        System.out.println("fault-proxy API on " + proxy.apiUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "fault-proxy-shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new FaultProxyMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("fault-proxy: " + e.getMessage());
                    return e instanceof FaultProxyException ? 2 : 1;
                });
        System.exit(commandLine.execute(args));
    }
}
