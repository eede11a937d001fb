package io.blastradius.experiment;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The network hops of the replica, each through its own fault-proxy proxy. The wire name is what
 * experiments target ({@code gateway->auth-service}); the proxy name is URL-safe for the Toxiproxy API.
 */
public enum Hop {
    GATEWAY_AUTH("gateway->auth-service", Service.GATEWAY, Service.AUTH_SERVICE),
    GATEWAY_INFERENCE("gateway->inference-stub", Service.GATEWAY, Service.INFERENCE_STUB),
    AUTH_SESSIONS("auth-service->session-cache", Service.AUTH_SERVICE, Service.SESSION_CACHE),
    SESSIONS_REDIS("session-cache->redis", Service.SESSION_CACHE, Service.REDIS);

    private final String wireName;
    private final Service from;
    private final Service to;

    Hop(String wireName, Service from, Service to) {
        this.wireName = wireName;
        this.from = from;
        this.to = to;
    }

    public String wireName() {
        return wireName;
    }

    /** The proxy's name in the Toxiproxy API: {@code gateway-to-auth-service}. */
    public String proxyName() {
        return from.wireName() + "-to-" + to.wireName();
    }

    /**
     * Its proxy's port where the fault proxy listens on one port per hop (containers, k8s/): Toxiproxy's
     * range from 8666, in the order of this enum.
     */
    public int proxyPort() {
        return 8666 + ordinal();
    }

    public Service from() {
        return from;
    }

    public Service to() {
        return to;
    }

    public static Hop fromWireName(String name) {
        return Arrays.stream(values()).filter(h -> h.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("hop must be one of "
                        + Arrays.stream(values()).map(Hop::wireName).collect(Collectors.joining(", "))
                        + ", but was '" + name + "'"));
    }
}
