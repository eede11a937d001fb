package io.blastradius.experiment;

/** The processes of the replica, named as experiments and replica.json name them. */
public enum Service {
    REDIS("redis", null),
    SESSION_CACHE("session-cache", "session-cache"),
    AUTH_SERVICE("auth-service", "auth-service"),
    INFERENCE_STUB("inference-stub", "inference-stub"),
    GATEWAY("gateway", "gateway");

    private final String wireName;
    private final String module;

    Service(String wireName, String module) {
        this.wireName = wireName;
        this.module = module;
    }

    public String wireName() {
        return wireName;
    }

    /** The Maven module whose jar runs this service; null for Redis, which is not ours. */
    public String module() {
        return module;
    }

    /** The service of this wire name ("auth-service", ...); IllegalArgumentException if there is none. */
    public static Service fromWireName(String name) {
        for (Service service : values()) {
            if (service.wireName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service named '" + name + "'");
    }

    /** Chaos Monkey for Spring Boot is loaded in the three servlet services, not in the gateway. */
    public boolean hasChaosMonkey() {
        return isJvm() && this != GATEWAY;
    }

    public boolean isJvm() {
        return module != null;
    }
}
