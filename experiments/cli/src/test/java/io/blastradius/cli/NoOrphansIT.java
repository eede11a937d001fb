package io.blastradius.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However {@code blastradius run} or {@code up} ends, nothing it started is left running. The processes are
 * listed from the operating system (every descendant of the launcher, while it runs), not from what the
 * launcher says it started; after its end each must be gone.
 */
class NoOrphansIT {

    static final Path HOME = UpCommandIT.HOME;

    /** How the launcher ends. */
    enum End {
        /** {@code kill}: the run aborts, rolls back, stops its replica. */
        SIGTERM("TERM"),
        /** Ctrl-C. */
        SIGINT("INT"),
        /** Nothing runs in the launcher after it: the services watch its pid, Redis's wrapper its pipe. */
        SIGKILL("KILL"),
        /** The experiment's own abort guard fires (a crashed inference-stub fails the api). */
        ABORT_GUARD(null),
        /** {@code up}, then SIGTERM. */
        UP_SIGTERM("TERM"),
        /** A suite of two experiments, the second on the coupled profile (its gateway started again), SIGTERMed in its fault phase. */
        SUITE_SIGTERM("TERM"),
        /** The harness fails: every service stops on a missing config file while starting, after Redis and the fault proxy are up (ERROR). */
        ERROR(null);

        final String signal;

        End(String signal) {
            this.signal = signal;
        }
    }

    Process launcher;
    final Set<ProcessHandle> seen = new HashSet<>();
    /**
     * The command file names of the processes seen, read at every look while they run (a process gone has none). A
     * process is read again each time: one caught between its fork and its exec still bears its parent's name (a
     * {@code dash} that becomes {@code redis-server}, a {@code jspawnhelper} that becomes {@code java}).
     */
    final Set<String> names = new TreeSet<>();

    void see() {
        launcher.descendants().forEach(p -> {
            seen.add(p);
            p.info().command().ifPresent(c -> names.add(Path.of(c).getFileName().toString()));
        });
    }

    @AfterEach
    void cleanUp() {
        if (launcher != null) {
            launcher.destroyForcibly();
        }
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    @ParameterizedTest
    @EnumSource(End.class)
    void nothingTheLauncherStartedOutlivesIt(End end, @TempDir Path dir) throws Exception {
        Path out = HOME.resolve("experiments/cli/target/it-runs/orphans-" + end.name().toLowerCase() + "-" + System.nanoTime());
        Path console = Files.createDirectories(out.getParent()).resolve(out.getFileName() + ".console.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString()));
        if (end == End.UP_SIGTERM) {
            command.addAll(List.of("up", "--out", out.toString()));
        } else {
            command.addAll(List.of("run", "--seed", "1", "--out", out.toString()));
            command.addAll(experiments(dir, end).stream().map(Path::toString).toList());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("BLASTRADIUS_HOME", HOME.toString());
        if (end == End.ERROR) {
            // each service's JVM starts, then Spring stops it on a config file that is not there: the replica never gets healthy
            builder.environment().put("BLASTRADIUS_REPLICA_JVM_OPTIONS", "-Dspring.config.import=file:/nonexistent/blastradius-orphans.yml");
        }
        launcher = builder.start();

        String ready = end == End.UP_SIGTERM ? "Press Ctrl-C to stop." : "fault: applied";
        int times = end == End.SUITE_SIGTERM ? 2 : 1;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (end == End.ERROR ? launcher.isAlive() : occurrences(Files.readString(console), ready) < times) {
            assertThat(launcher.isAlive() || end == End.ERROR).as("the launcher ended early:%n%s", Files.readString(console)).isTrue();
            assertThat(System.nanoTime()).as("'%s' within 180 s:%n%s", ready, Files.readString(console)).isLessThan(deadline);
            see();
            Thread.sleep(end == End.ERROR ? 5 : 100);
        }
        see();
        assertThat(names).as("the replica's processes, seen from the OS").contains("java").anyMatch(n -> n.startsWith("redis-server"));
        assertThat(seen).as("four service JVMs, Redis and its wrapper").hasSizeGreaterThanOrEqualTo(6);

        if (end.signal != null) {
            new ProcessBuilder("kill", "-" + end.signal, Long.toString(launcher.pid())).start().waitFor();
        }
        int exit = launcher.waitFor();
        long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) {
            Thread.sleep(100);
        }
        assertThat(seen.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList())
                .as("left running after the launcher ended (%s)", end).isEmpty();
        switch (end) {
            case SIGTERM, SIGINT, ABORT_GUARD, SUITE_SIGTERM -> {
                assertThat(exit).as(Files.readString(console)).isEqualTo(3);
                assertThat(Files.readString(console)).contains("ABORTED").contains("fault: removed");
            }
            case ERROR -> {
                assertThat(exit).as(Files.readString(console)).isEqualTo(5);
                assertThat(Files.readString(console)).contains("ERROR");
            }
            case SIGKILL -> assertThat(exit).isEqualTo(137);
            case UP_SIGTERM -> assertThat(exit).as("ended by its signal, after stopping the replica").isIn(0, 143);
        }
    }

    /**
     * A long fault phase to signal into; for the abort guard, a crash its guard sees within seconds; for a suite, a
     * short experiment first and the long one second, on the coupled profile.
     */
    static List<Path> experiments(Path dir, End end) throws IOException {
        String fault = end == End.ABORT_GUARD ? "{ target: inference-stub, crash: {} }" : "{ target: gateway->auth-service, latency: { delay: 50ms } }";
        String body = """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: NAME, title: Nothing outlives the run }
                REPLICA
                traffic: [ { route: api, rate: 20/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: FAULT, recovery: 2s }
                faults: [ %s ]
                hypotheses: [ { name: api-ok, route: api, during: [baseline], success-rate: ">= 0%%" } ]
                abort: [ { route: api, error-rate: "> 50%%", for: 1s } ]
                """.formatted(fault);
        Path last = Files.writeString(dir.resolve("orphans.yaml"), body.replace("NAME", "orphans").replace("FAULT", "60s")
                .replace("REPLICA", end == End.SUITE_SIGTERM ? "replica: { profile: coupled }" : ""));
        if (end != End.SUITE_SIGTERM) {
            return List.of(last);
        }
        Path first = Files.writeString(dir.resolve("first.yaml"), body.replace("NAME", "first").replace("FAULT", "2s").replace("REPLICA", ""));
        return List.of(first, last);
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
