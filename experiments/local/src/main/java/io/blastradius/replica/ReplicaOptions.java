package io.blastradius.replica;

import io.blastradius.environment.Endpoints;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a local replica. Immutable; built with {@link #custom(Path)}.
 *
 * @param home          the repository root, where each service's jar is found under {@code <module>/target}
 * @param runDir        where logs, redis.conf and replica.json go
 * @param profile       decoupled or coupled gateway
 * @param gatewayPort   the gateway's port, 0 for any free one
 * @param startTimeout  how long all services may take to become healthy
 * @param properties    per-service Spring property overrides, passed as {@code --key=value}
 * @param classDataSharing start the JVMs from class-data archives, made on first use of each build
 * @param seed          the fault proxy's seed for every random choice (jitter, toxicity, slicer)
 */
public record ReplicaOptions(Path home, Path runDir, ReplicaProfile profile, int gatewayPort, Duration startTimeout,
                             Map<Service, Map<String, String>> properties, boolean classDataSharing, long seed) {

    public static final String DEMO_USER = Endpoints.Credentials.DEMO.username();
    public static final String DEMO_PASSWORD = Endpoints.Credentials.DEMO.password();
    public static final String DEMO_API_KEY = Endpoints.Credentials.DEMO.apiKey();

    public ReplicaOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(profile, "profile");
        if (gatewayPort < 0 || gatewayPort > 65_535) {
            throw new IllegalArgumentException("gatewayPort must be from 0 to 65535, but was " + gatewayPort);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, but was " + startTimeout);
        }
        Map<Service, Map<String, String>> copy = new EnumMap<>(Service.class);
        properties.forEach((service, props) -> copy.put(service, Map.copyOf(props)));
        properties = Map.copyOf(copy);
    }

    public static Builder custom(Path home) {
        return new Builder(home);
    }

    /** Builder with defaults: decoupled, any free gateway port, 120 s to start, run folder under home/runs, CDS on. */
    public static final class Builder {
        private final Path home;
        private Path runDir;
        private ReplicaProfile profile = ReplicaProfile.DECOUPLED;
        private int gatewayPort;
        private Duration startTimeout = Duration.ofSeconds(120);
        private final Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);
        private boolean classDataSharing = true;
        private long seed;

        private Builder(Path home) {
            this.home = home;
        }

        public Builder runDir(Path runDir) {
            this.runDir = runDir;
            return this;
        }

        public Builder profile(ReplicaProfile profile) {
            this.profile = profile;
            return this;
        }

        public Builder gatewayPort(int gatewayPort) {
            this.gatewayPort = gatewayPort;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Builder property(Service service, String key, String value) {
            if (!service.isJvm()) {
                throw new IllegalArgumentException("properties apply to the JVM services, not to " + service.wireName());
            }
            properties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder classDataSharing(boolean classDataSharing) {
            this.classDataSharing = classDataSharing;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ReplicaOptions build() {
            Path dir = runDir != null ? runDir : home.resolve("runs").resolve("replica-" + RunIds.next());
            return new ReplicaOptions(home, dir, profile, gatewayPort, startTimeout, properties, classDataSharing, seed);
        }
    }
}
