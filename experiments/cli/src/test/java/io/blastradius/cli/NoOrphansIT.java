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
        UP_SIGTERM("TERM");

        final String signal;

        End(String signal) {
            this.signal = signal;
        }
    }

    Process launcher;
    final Set<ProcessHandle> seen = new HashSet<>();

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
            command.addAll(List.of("run", "--seed", "1", "--out", out.toString(), experiment(dir, end).toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("BLASTRADIUS_HOME", HOME.toString());
        launcher = builder.start();

        String ready = end == End.UP_SIGTERM ? "Press Ctrl-C to stop." : "fault: applied";
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!Files.readString(console).contains(ready)) {
            assertThat(launcher.isAlive()).as("the launcher ended early:%n%s", Files.readString(console)).isTrue();
            assertThat(System.nanoTime()).as("'%s' within 180 s:%n%s", ready, Files.readString(console)).isLessThan(deadline);
            launcher.descendants().forEach(seen::add);
            Thread.sleep(100);
        }
        launcher.descendants().forEach(seen::add);
        assertThat(names(seen)).as("the replica's processes, seen from the OS").contains("java").anyMatch(n -> n.startsWith("redis-server"));
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
            case SIGTERM, SIGINT, ABORT_GUARD -> {
                assertThat(exit).as(Files.readString(console)).isEqualTo(3);
                assertThat(Files.readString(console)).contains("ABORTED").contains("fault: removed");
            }
            case SIGKILL -> assertThat(exit).isEqualTo(137);
            case UP_SIGTERM -> assertThat(exit).as("ended by its signal, after stopping the replica").isIn(0, 143);
        }
    }

    /** A long fault phase to signal into; for the abort guard, a crash its guard sees within seconds. */
    static Path experiment(Path dir, End end) throws IOException {
        String fault = end == End.ABORT_GUARD ? "{ target: inference-stub, crash: {} }" : "{ target: gateway->auth-service, latency: { delay: 50ms } }";
        return Files.writeString(dir.resolve("orphans.yaml"), """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: orphans, title: Nothing outlives the run }
                traffic: [ { route: api, rate: 20/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 60s, recovery: 2s }
                faults: [ %s ]
                hypotheses: [ { name: api-ok, route: api, during: [baseline], success-rate: ">= 0%%" } ]
                abort: [ { route: api, error-rate: "> 50%%", for: 1s } ]
                """.formatted(fault));
    }

    static Set<String> names(Set<ProcessHandle> processes) {
        Set<String> names = new TreeSet<>();
        processes.forEach(p -> p.info().command().ifPresent(c -> names.add(Path.of(c).getFileName().toString())));
        return names;
    }
}
