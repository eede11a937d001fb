package io.blastradius.replica;

import io.blastradius.environment.Endpoints;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param java          the java executable that runs the services (their JDK decides the kind of start-up archive)
 * @param jvmOptions    options added to every service JVM's own (heap, GC), for tuning
 */
public record ReplicaOptions(Path home, Path runDir, ReplicaProfile profile, int gatewayPort, Duration startTimeout,
                             Map<Service, Map<String, String>> properties, boolean classDataSharing, long seed,
                             String java, List<String> jvmOptions) {

    /** Names the java executable of the services when set; otherwise they run on the launcher's own JVM. */
    public static final String JAVA_VARIABLE = "BLASTRADIUS_REPLICA_JAVA";
    /** Options for every service JVM, separated by spaces, e.g. {@code -XX:TieredStopAtLevel=4}. */
    public static final String JVM_OPTIONS_VARIABLE = "BLASTRADIUS_REPLICA_JVM_OPTIONS";

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
        Objects.requireNonNull(java, "java");
        if (!Files.isExecutable(Path.of(java)) || Files.isDirectory(Path.of(java))) {
            throw new IllegalArgumentException("the services' java must be an executable file, but " + java + " is not (from "
                    + JAVA_VARIABLE + "? it names the java executable, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)");
        }
        jvmOptions = List.copyOf(jvmOptions);
        for (String option : jvmOptions) {
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("every JVM option must start with '-', but '" + option + "' does not (from "
                        + JVM_OPTIONS_VARIABLE + "?)");
            }
        }
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
        private String java = Optional.ofNullable(System.getenv(JAVA_VARIABLE)).filter(v -> !v.isBlank()).orElse(launcherJava());
        private List<String> jvmOptions = Optional.ofNullable(System.getenv(JVM_OPTIONS_VARIABLE)).filter(v -> !v.isBlank())
                .map(v -> List.of(v.trim().split("\\s+"))).orElse(List.of());

        private Builder(Path home) {
            this.home = home;
        }

        private static String launcherJava() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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

        public Builder java(String java) {
            this.java = java;
            return this;
        }

        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        public ReplicaOptions build() {
            Path dir = runDir != null ? runDir : home.resolve("runs").resolve("replica-" + RunIds.next());
            return new ReplicaOptions(home, dir, profile, gatewayPort, startTimeout, properties, classDataSharing, seed, java, jvmOptions);
        }
    }
}
