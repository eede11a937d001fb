package io.blastradius.replica;

import io.blastradius.environment.FreePorts;
import io.blastradius.environment.HealthProbe;
import io.blastradius.environment.Secrets;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.Service;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.faultproxy.FaultProxy;
import io.blastradius.faultproxy.FaultProxyOptions;
import io.blastradius.replica.internal.ClassDataSharing;
import io.blastradius.replica.internal.ManagedProcess;
import io.blastradius.replica.internal.RedisBinary;
import io.blastradius.replica.internal.RedisProbe;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replica on this machine: Redis and each service as its own process on free loopback ports,
 * wired to each other. {@link #start(ReplicaOptions)} returns once every part is healthy;
 * {@link #close()} stops them all. Children also exit by themselves if this JVM dies (they watch its
 * pid; Redis runs under a wrapper that watches its stdin).
 *
 * <p>Each hop ({@code gateway->auth-service}, ...) goes through its own proxy of an in-process
 * {@link FaultProxy}, created through the Toxiproxy API, so that any link can be slowed, cut or reset.
 */
public final class LocalReplica implements AutoCloseable {

    public static final String REPLICA_JSON = "replica.json";
    /** Every part listens on loopback only. */
    private static final String HOST = "127.0.0.1";
    /**
     * Every service JVM's options. C1 alone ({@code TieredStopAtLevel=1}): C2 compiling the start-up's code was half
     * the CPU of a cold start on two cores (start-up 13 s to 7 s, BENCHMARKS.md), while C1 code holds the catalog's
     * rates many times over (the capacity curve's knee moves from about 2,000 to about 1,500 api req/s).
     * {@code BLASTRADIUS_REPLICA_JVM_OPTIONS=-XX:TieredStopAtLevel=4} restores C2, the later option winning.
     */
    private static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-Xss512k", "-Xms64m", "-Xmx256m", "-XX:MetaspaceSize=128m", "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1");

    private final ReplicaOptions options;
    private final Map<Service, ManagedProcess> processes = new EnumMap<>(Service.class);
    /** What each JVM is started with besides its ports: the wiring to the others, its environment; the settings below. */
    private final Map<Service, List<String>> wiring = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> environments = new EnumMap<>(Service.class);
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, Integer> managementPorts = new EnumMap<>(Service.class);
    private ReplicaProfile profile;
    private Map<Service, Map<String, String>> properties;
    private volatile ReplicaInfo info;
    private FaultProxy faultProxy;
    private String redisPassword;
    private ToxiproxyClient toxiproxy;

    private LocalReplica(ReplicaOptions options) {
        this.options = options;
        this.profile = options.profile();
        this.properties = options.properties();
    }

    public static LocalReplica start(ReplicaOptions options) {
        redisSettings(options.properties().getOrDefault(Service.REDIS, Map.of()));
        LocalReplica replica = new LocalReplica(options);
        try {
            replica.startAll();
            return replica;
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
    }

    public ReplicaInfo info() {
        return info;
    }

    public Path replicaJson() {
        return options.runDir().resolve(REPLICA_JSON);
    }

    /**
     * Starts a service again (after a crash or a stop) on the same ports with the same settings, and
     * waits until it is healthy.
     */
    public void restart(Service service) {
        ManagedProcess old = processes.get(service);
        if (old == null) {
            throw new ReplicaException(service.wireName() + " was never started");
        }
        processes.put(service, old.relaunch());
        awaitHealthy(List.of(service), System.nanoTime(), "restarting");
        recordPids(info.profile());
    }

    /**
     * Gives the running replica another profile and other properties: the JVMs whose command line changes (the
     * gateway for a change of profile, a service whose properties change) are stopped and started again with
     * the new one, on the same ports (Redis too when its settings change, coming back empty); the fault proxy and
     * the other services keep running. Returns the services restarted, each healthy on return.
     */
    public List<Service> reconfigure(ReplicaProfile newProfile, Map<Service, Map<String, String>> newProperties) {
        redisSettings(newProperties.getOrDefault(Service.REDIS, Map.of()));
        Map<Service, List<String>> before = new EnumMap<>(Service.class);
        wiring.keySet().forEach(service -> before.put(service, jvmCommand(service)));
        Map<String, String> redisBefore = properties.getOrDefault(Service.REDIS, Map.of());
        profile = newProfile;
        properties = Map.copyOf(newProperties);
        List<Service> changed = new ArrayList<>(before.keySet().stream().filter(service -> !before.get(service).equals(jvmCommand(service))).toList());
        long began = System.nanoTime();
        for (Service service : List.copyOf(changed)) {
            processes.put(service, processes.get(service).relaunch(jvmCommand(service)));
        }
        if (!redisBefore.equals(properties.getOrDefault(Service.REDIS, Map.of()))) {
            // its settings are read at start: a new redis.conf, and Redis started again on it (empty, like a suite's reset)
            ReplicaInfo.Endpoint redis = info.service(Service.REDIS);
            writeRedisConf(options.runDir().resolve("redis.conf"), redis.host(), redis.port(), redisPassword);
            processes.put(Service.REDIS, processes.get(Service.REDIS).relaunch());
            changed.add(Service.REDIS);
        }
        awaitHealthy(changed, began, "restarting with new settings");
        recordPids(profile.wireName());
        return changed;
    }

    /** Removes every key in Redis (the sessions), so that the next experiment of a suite starts without them. */
    public void clearSessions() {
        ReplicaInfo.Endpoint redis = info.service(Service.REDIS);
        if (!RedisProbe.flushAll(redis.host(), redis.port(), redisPassword)) {
            throw new ReplicaException("could not remove the sessions from Redis at " + redis.host() + ":" + redis.port());
        }
    }

    /** How many keys Redis holds now (the sessions), or -1 if it does not answer: for the soak benchmark. */
    public long redisKeys() {
        ReplicaInfo.Endpoint redis = info.service(Service.REDIS);
        return RedisProbe.keys(redis.host(), redis.port(), redisPassword);
    }

    /** replica.json gives the profile and every service's current pid, for those who attach to this replica. */
    private void recordPids(String currentProfile) {
        Map<String, ReplicaInfo.Endpoint> services = new LinkedHashMap<>();
        info.services().forEach((name, e) -> services.put(name,
                new ReplicaInfo.Endpoint(e.url(), e.managementUrl(), e.host(), e.port(), pid(Service.fromWireName(name)), e.log())));
        info = new ReplicaInfo(currentProfile, info.runDir(), info.startedAt(), info.startMillis(), info.launcherPid(), info.gatewayUrl(),
                info.routes(), Collections.unmodifiableMap(services), info.faultProxyUrl(), info.links(), info.managementToken(), info.demo());
        writeReplicaJson();
    }

    /** The current pid of a service: for Redis, the redis-server under its wrapper. */
    public long pidOf(Service service) {
        return pid(service);
    }

    /** The pid of the service itself: for Redis, the redis-server under its wrapper. */
    private long pid(Service service) {
        ManagedProcess process = processes.get(service);
        if (service == Service.REDIS) {
            return process.child().map(ProcessHandle::pid).orElse(process.pid());
        }
        return process.pid();
    }

    private void startAll() {
        Path logs = options.runDir().resolve("logs");
        createPrivateDirectories(logs);
        checkJars();
        if (options.classDataSharing()) {
            prepareClassDataSharing(logs);
        }
        long began = System.nanoTime();
        Instant startedAt = Instant.now();

        String managementToken = Secrets.random();
        redisPassword = Secrets.random();
        // every port is chosen at once, so that none is handed out twice, and released just before its owner binds it
        Map<Hop, Integer> proxyPorts = new EnumMap<>(Hop.class);
        int faultProxyApiPort;
        try (FreePorts.Reservation reservation = FreePorts.reserve()) {
            for (Service service : Service.values()) {
                ports.put(service, service == Service.GATEWAY && options.gatewayPort() > 0 ? options.gatewayPort() : reservation.next());
                if (service.isJvm()) {
                    managementPorts.put(service, reservation.next());
                }
            }
            for (Hop hop : Hop.values()) {
                proxyPorts.put(hop, reservation.next());
            }
            faultProxyApiPort = reservation.next();
        }

        // The JVMs first, wired to their hops' proxies by port: their start is most of the wait, and the fault
        // proxy and Redis come up meanwhile (nothing calls a hop before its JVM is up).
        Map<String, String> common = Map.of(
                "BLASTRADIUS_PARENT_PID", Long.toString(ProcessHandle.current().pid()),
                "BLASTRADIUS_MANAGEMENT_TOKEN", managementToken);
        String apiKeyHash = Secrets.sha256Hex(ReplicaOptions.DEMO_API_KEY);
        startJvm(Service.SESSION_CACHE, logs, env(common, Map.of("SPRING_DATA_REDIS_PASSWORD", redisPassword)),
                List.of("--spring.data.redis.host=" + HOST, "--spring.data.redis.port=" + proxyPorts.get(Hop.SESSIONS_REDIS)));
        startJvm(Service.AUTH_SERVICE, logs,
                env(common, Map.of("BLASTRADIUS_AUTH_DEMO_PASSWORD", ReplicaOptions.DEMO_PASSWORD)),
                List.of("--blastradius.auth.session-cache-url=" + url(HOST, proxyPorts.get(Hop.AUTH_SESSIONS)),
                        "--blastradius.auth.api-key-hashes=" + apiKeyHash));
        startJvm(Service.INFERENCE_STUB, logs, common, List.of());
        startJvm(Service.GATEWAY, logs, common, List.of(
                "--blastradius.gateway.auth-service-url=" + url(HOST, proxyPorts.get(Hop.GATEWAY_AUTH)),
                "--blastradius.gateway.inference-stub-url=" + url(HOST, proxyPorts.get(Hop.GATEWAY_INFERENCE)),
                "--blastradius.gateway.api-key-hashes=" + apiKeyHash));

        startFaultProxy(faultProxyApiPort);
        Map<Hop, ReplicaInfo.Link> links = new EnumMap<>(Hop.class);
        for (Hop hop : Hop.values()) {
            links.put(hop, createProxy(hop, HOST + ":" + proxyPorts.get(hop), HOST + ":" + ports.get(hop.to())));
        }
        startRedis(HOST, ports.get(Service.REDIS), redisPassword, logs);

        awaitHealthy(List.of(Service.values()), began, "starting");

        Map<String, ReplicaInfo.Endpoint> endpoints = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            ManagedProcess process = processes.get(service);
            URI url = service.isJvm() ? URI.create(url(HOST, ports.get(service))) : null;
            URI management = service.isJvm() ? URI.create(url(HOST, managementPorts.get(service))) : null;
            endpoints.put(service.wireName(), new ReplicaInfo.Endpoint(url, management, HOST, ports.get(service),
                    pid(service), process.log().toString()));
        }
        String gateway = url(HOST, ports.get(Service.GATEWAY));
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("api", "POST " + gateway + "/v1/messages");
        routes.put("app", "POST " + gateway + "/app/chat");
        routes.put("login", "POST " + gateway + "/auth/login");
        routes.put("logout", "POST " + gateway + "/auth/logout");
        info = new ReplicaInfo(options.profile().wireName(), options.runDir().toString(), startedAt,
                Duration.ofNanos(System.nanoTime() - began).toMillis(), ProcessHandle.current().pid(),
                URI.create(gateway), routes, endpoints, URI.create(faultProxy.apiUrl()), linksByWireName(links), managementToken,
                new ReplicaInfo.Demo(ReplicaOptions.DEMO_USER, ReplicaOptions.DEMO_PASSWORD, ReplicaOptions.DEMO_API_KEY));
        writeReplicaJson();
    }

    private void startFaultProxy(int apiPort) {
        FaultProxyOptions defaults = FaultProxyOptions.ofDefaults();
        faultProxy = FaultProxy.start(new FaultProxyOptions(HOST, apiPort, null, options.seed(), defaults.threads()));
        toxiproxy = new ToxiproxyClient(HOST, faultProxy.apiPort());
    }

    /** A proxy for the hop through the Toxiproxy API (as for a real Toxiproxy), listening where the hop's client was told. */
    private ReplicaInfo.Link createProxy(Hop hop, String listen, String upstream) {
        try {
            Proxy proxy = toxiproxy.createProxy(hop.proxyName(), listen, upstream);
            return new ReplicaInfo.Link(hop.proxyName(), proxy.getListen(), upstream);
        } catch (IOException e) {
            throw new ReplicaException("could not create the fault proxy for " + hop.wireName() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, ReplicaInfo.Link> linksByWireName(Map<Hop, ReplicaInfo.Link> links) {
        Map<String, ReplicaInfo.Link> byName = new LinkedHashMap<>();
        links.forEach((hop, link) -> byName.put(hop.wireName(), link));
        return byName;
    }

    private void checkJars() {
        for (Service service : Service.values()) {
            if (service.isJvm() && !Files.isRegularFile(jar(service))) {
                throw new ReplicaException(service.wireName() + " is not built: " + jar(service)
                        + " is missing; build with './mvnw -DskipTests package' (./blastradius does this on first use)");
            }
        }
    }

    /** Whether starting will first make class-data archives (a one-off that takes about one start's time). */
    public static boolean needsClassDataArchives(ReplicaOptions options) {
        LocalReplica replica = new LocalReplica(options);
        return options.classDataSharing() && Arrays.stream(Service.values())
                .anyMatch(s -> s.isJvm() && !ClassDataSharing.isFresh(replica.jar(s), replica.javaExecutable()));
    }

    /** What starting makes first when {@link #needsClassDataArchives} says so: "an AOT cache" (JDK 25+) or "a class-data archive". */
    public static String archiveKind(ReplicaOptions options) {
        return ClassDataSharing.kind(options.java());
    }

    /** Archives made once per build of each jar and JDK; the services start from them about 1.7× faster (see BENCHMARKS.md). */
    private void prepareClassDataSharing(Path logs) {
        List<String> training = List.of("--server.port=0", "--management.server.port=0",
                "--blastradius.gateway.auth-service-url=http://127.0.0.1:9", "--blastradius.gateway.inference-stub-url=http://127.0.0.1:9",
                "--blastradius.auth.session-cache-url=http://127.0.0.1:9");
        List<Service> jvms = Arrays.stream(Service.values()).filter(Service::isJvm).toList();
        List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
        jvmOptions.addAll(options.jvmOptions());
        jvms.parallelStream().forEach(service -> ClassDataSharing.prepare(jar(service), javaExecutable(), jvmOptions, training)
                .ifPresent(why -> appendLine(logs.resolve(service.wireName() + ".log"),
                        "blastradius: starting without a class-data archive: " + why)));
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ReplicaException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private Path jar(Service service) {
        return options.home().resolve(service.module()).resolve("target").resolve(service.module() + ".jar");
    }

    /**
     * The Redis settings an experiment may give (its persistence), with their defaults: nothing persisted, so a
     * restarted Redis comes back empty, as the session store of many deployments does.
     */
    private static final Map<String, String> REDIS_DEFAULTS = new LinkedHashMap<>(Map.of("save", "", "appendonly", "no", "appendfsync", "everysec"));

    /** redis.conf lines for the experiment's Redis settings; a ReplicaException for one outside {@link #REDIS_DEFAULTS}. */
    static List<String> redisSettings(Map<String, String> given) {
        Map<String, String> settings = new TreeMap<>(REDIS_DEFAULTS);
        given.forEach((key, value) -> {
            if (!REDIS_DEFAULTS.containsKey(key) || !value.matches("[a-z0-9 ]{0,100}")) {
                throw new ReplicaException("Redis setting '" + key + ": " + value + "' is not one a replica takes; it takes "
                        + String.join(", ", REDIS_DEFAULTS.keySet()) + " (lower-case words and numbers)");
            }
            settings.put(key, value);
        });
        List<String> lines = new ArrayList<>();
        settings.forEach((key, value) -> lines.add(key + " " + ("save".equals(key) ? "\"" + value + "\"" : value)));
        return lines;
    }

    private void writeRedisConf(Path conf, String host, int port, String password) {
        List<String> lines = new ArrayList<>(List.of(
                "bind " + host,
                "port " + port,
                "protected-mode yes",
                "daemonize no",
                "dir " + options.runDir().toAbsolutePath(),
                "requirepass " + password));
        lines.addAll(redisSettings(properties.getOrDefault(Service.REDIS, Map.of())));
        writePrivate(conf, String.join("\n", lines) + "\n");
    }

    private void startRedis(String host, int port, String password, Path logs) {
        Path binary = RedisBinary.locate(options.home().resolve("runs").resolve(".cache"));
        Path conf = options.runDir().resolve("redis.conf");
        writeRedisConf(conf, host, port, password);
        // The wrapper ends Redis when its stdin closes: on close(), and when this JVM dies for any reason.
        String wrapper = "\"$0\" \"$1\" & pid=$!; trap 'kill $pid 2>/dev/null' TERM INT; read _ignored; "
                + "kill $pid 2>/dev/null; wait $pid";
        processes.put(Service.REDIS, ManagedProcess.start("redis",
                List.of("/bin/sh", "-c", wrapper, binary.toString(), conf.toString()), Map.of(), logs.resolve("redis.log")));
    }

    private void startJvm(Service service, Path logs, Map<String, String> environment, List<String> serviceWiring) {
        wiring.put(service, List.copyOf(serviceWiring));
        environments.put(service, Map.copyOf(environment));
        processes.put(service, ManagedProcess.start(service.wireName(), jvmCommand(service), environment,
                logs.resolve(service.wireName() + ".log")));
    }

    /** A JVM service's command line: its ports, its wiring, the profile (the gateway's) and its properties. */
    private List<String> jvmCommand(Service service) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.addAll(options.jvmOptions());
        command.addAll(options.classDataSharing() ? ClassDataSharing.launchArguments(jar(service), javaExecutable())
                : List.of("-jar", jar(service).toString()));
        command.add("--server.port=" + ports.get(service));
        command.add("--management.server.port=" + managementPorts.get(service));
        command.addAll(wiring.get(service));
        if (service == Service.GATEWAY && profile == ReplicaProfile.COUPLED) {
            command.add("--spring.profiles.active=coupled");
        }
        // in key order: the same settings make the same command line, so a reconfigure restarts nothing for them
        new TreeMap<>(properties.getOrDefault(service, Map.of())).forEach((k, v) -> command.add("--" + k + "=" + v));
        return command;
    }

    /** Waits until each of the services is healthy, from {@code began} for at most the start timeout; {@code doing} is for the errors. */
    private void awaitHealthy(List<Service> services, long began, String doing) {
        long deadline = began + options.startTimeout().toNanos();
        List<Service> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (Service service : List.copyOf(pending)) {
                ManagedProcess process = processes.get(service);
                if (!process.isAlive()) {
                    throw new ReplicaException(service.wireName() + " exited while " + doing + "; last lines of "
                            + process.log() + ":\n" + process.tail(25));
                }
                if (isUp(service)) {
                    pending.remove(service);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ReplicaException("not healthy within " + options.startTimeout().toSeconds() + " s of " + doing + ": "
                        + pending.stream().map(Service::wireName).toList() + "; see the logs in " + options.runDir().resolve("logs"));
            }
            sleep(100);
        }
    }

    /** Redis answers PONG; a JVM service's actuator says UP. */
    private boolean isUp(Service service) {
        return service.isJvm() ? HealthProbe.isUp(URI.create(url(HOST, managementPorts.get(service))))
                : RedisProbe.isUp(HOST, ports.get(service), redisPassword);
    }

    private void writeReplicaJson() {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        writePrivate(replicaJson(), json.writeValueAsString(info) + "\n");
    }

    /** Stops every process, gateway first and Redis last. Safe to call more than once. */
    @Override
    public void close() {
        List<Service> order = new ArrayList<>(processes.keySet());
        Collections.reverse(order);
        // all asked to end at once, then each waited for: their graceful shutdowns overlap
        order.forEach(service -> processes.get(service).terminate());
        for (Service service : order) {
            processes.get(service).close();
        }
        if (faultProxy != null) {
            faultProxy.close();
        }
    }

    private static Map<String, String> env(Map<String, String> common, Map<String, String> own) {
        Map<String, String> all = new LinkedHashMap<>(common);
        all.putAll(own);
        return all;
    }

    private static String url(String host, int port) {
        return "http://" + host + ":" + port;
    }

    private String javaExecutable() {
        return options.java();
    }



    private static void createPrivateDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ReplicaException("could not create the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file only its owner can read (it may hold secrets), whole or not at all, for readers that come at any time. */
    private static void writePrivate(Path file, String content) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ReplicaException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicaException("interrupted while waiting for the replica to become healthy");
        }
    }
}
