package io.blastradius.faultproxy;

import java.nio.file.Path;

/**
 * How to run a fault proxy.
 *
 * @param host    where the API listens (loopback by default)
 * @param port    the API's port, 0 for any free one
 * @param config  a JSON list of proxies (with optional toxics) to create at start, or null
 * @param seed    the one seed for every random choice (jitter, toxicity, slicer)
 * @param threads event-loop threads for proxied connections
 */
public record FaultProxyOptions(String host, int port, Path config, long seed, int threads) {

    public FaultProxyOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be set, but was '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, but was " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, but was " + threads);
        }
    }

    /** Loopback, any free port, no config, seed 0, one event-loop thread per core. */
    public static FaultProxyOptions ofDefaults() {
        return new FaultProxyOptions("127.0.0.1", 0, null, 0, Runtime.getRuntime().availableProcessors());
    }

    public FaultProxyOptions withSeed(long newSeed) {
        return new FaultProxyOptions(host, port, config, newSeed, threads);
    }
}
