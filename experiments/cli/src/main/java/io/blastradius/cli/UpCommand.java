package io.blastradius.cli;

import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaException;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.ReplicaOptions;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code blastradius up}: start the replica on this machine and keep it up until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the replica (Redis, session-cache, auth-service, inference-stub, gateway) on free "
                + "loopback ports, wait until all are healthy, print the endpoints and keep them up until Ctrl-C.",
                "Writes replica.json (endpoints, pids, management token, demo credentials) to the run folder."})
final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", defaultValue = "decoupled", paramLabel = "decoupled|coupled",
            description = "Gateway profile: decoupled (default) or coupled (the classic mistakes).")
    String profile;

    @Option(names = "--gateway-port", defaultValue = "0", paramLabel = "PORT",
            description = "Pin the gateway's port (default: any free port).")
    int gatewayPort;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder for logs and replica.json (default: runs/replica-<time> under the project).")
    Path out;

    @Option(names = "--start-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long the services may take to become healthy (default: ${DEFAULT-VALUE}).")
    int startTimeoutSeconds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the fault proxy's random choices: jitter, toxicity, slicer (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-cds", description = "Start the JVMs without class-data archives (made once per build otherwise).")
    boolean noClassDataSharing;

    @Option(names = "--home", hidden = true, defaultValue = "${env:BLASTRADIUS_HOME:-.}",
            description = "The project root, where the service jars are built.")
    Path home;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplicaOptions options;
        try {
            options = ReplicaOptions.custom(home.toAbsolutePath().normalize())
                    .profile(ReplicaProfile.fromWireName(profile))
                    .gatewayPort(gatewayPort)
                    .startTimeout(Duration.ofSeconds(startTimeoutSeconds))
                    .classDataSharing(!noClassDataSharing)
                    .seed(seed)
                    .runDir(this.out == null ? null : this.out.toAbsolutePath())
                    .build();
        } catch (IllegalArgumentException e) {
            err.println("blastradius up: " + e.getMessage());
            return BlastRadius.INVALID_INPUT;
        }
        if (LocalReplica.needsClassDataArchives(options)) {
            out.println("Preparing " + LocalReplica.archiveKind(options) + " of each service for faster starts (once per build and JDK, about 30 s) ...");
        }
        out.println("Starting the replica (" + options.profile() + ") in " + options.runDir() + " ...");
        out.flush();
        LocalReplica replica;
        try {
            replica = LocalReplica.start(options);
        } catch (ReplicaException e) {
            err.println("blastradius up: " + e.getMessage());
            return BlastRadius.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            replica.close();
            stopped.countDown();
        }, "replica-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        print(out, replica.info(), replica.replicaJson());
        stopped.await();
        return BlastRadius.OK;
    }

    private static void print(PrintWriter out, ReplicaInfo info, Path replicaJson) {
        out.printf("%nThe replica is up (%s), all healthy in %.1f s.%n%n", info.profile(), info.startMillis() / 1000.0);
        out.println("Services");
        for (Service service : Service.values()) {
            ReplicaInfo.Endpoint e = info.service(service);
            String where = e.url() != null ? e.url().toString() : e.host() + ":" + e.port();
            String management = e.managementUrl() != null ? "management " + e.managementUrl() : "";
            out.printf("  %-15s %-24s %-40s pid %d%n", service.wireName(), where, management, e.pid());
        }
        out.println();
        out.println("Fault proxy (Toxiproxy API " + info.faultProxyUrl() + ")");
        info.links().forEach((hop, link) -> out.printf("  %-28s %-22s -> %-22s proxy %s%n", hop, link.listen(), link.upstream(), link.proxy()));
        out.println();
        out.println("Routes");
        info.routes().forEach((route, target) -> out.printf("  %-7s %s%n", route, target));
        out.println();
        out.println("Demo credentials");
        out.printf("  API key  %s   (header x-api-key)%n", info.demo().apiKey());
        out.printf("  login    %s / %s%n", info.demo().username(), info.demo().password());
        out.println();
        out.println("Try");
        out.printf("  curl -s %s/v1/messages -H 'x-api-key: %s' -H 'content-type: application/json' \\%n"
                + "       -d '{\"model\":\"stub\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}'%n",
                info.gatewayUrl(), info.demo().apiKey());
        out.printf("  curl -s %s/auth/login -H 'content-type: application/json' -d '{\"username\":\"%s\",\"password\":\"%s\"}'%n",
                info.gatewayUrl(), info.demo().username(), info.demo().password());
        out.println();
        out.println("replica.json (endpoints, pids, management token): " + replicaJson);
        out.println("Logs: " + Path.of(info.runDir(), "logs"));
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
