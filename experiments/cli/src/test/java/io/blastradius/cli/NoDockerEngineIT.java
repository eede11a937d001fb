package io.blastradius.cli;

import io.blastradius.environment.RunIds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI as a user without a Docker engine meets it: {@code run --env testcontainers} ends in an ERROR
 * verdict (exit 5) and {@code images} in one line (exit 5), each naming where it looked (DOCKER_HOST) and
 * what to do, with no stack trace. Needs no Docker: the engine is a loopback port nothing listens on (and
 * the test skips where one answers on the default socket, which Testcontainers would find instead).
 */
class NoDockerEngineIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "../..")).toAbsolutePath().normalize();
    static final Path WORK = HOME.resolve("experiments/cli/target/it-runs/no-docker-" + RunIds.next());

    record Outcome(int exit, String output) {
    }

    static Outcome cli(String dockerHost, String... args) throws IOException, InterruptedException {
        // a home of its own: Testcontainers remembers the strategy that found an engine in ~/.testcontainers.properties
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Duser.home=" + Files.createDirectories(WORK.resolve("user-home")), "-jar", HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString()));
        command.addAll(List.of(args));
        Path console = Files.createTempFile(Files.createDirectories(WORK), "cli-", ".console");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("DOCKER_HOST", dockerHost);
        // as ./blastradius runs the jar (Ryuk cannot be pulled here)
        builder.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        builder.environment().put("TESTCONTAINERS_CHECKS_DISABLE", "true");
        Process process = builder.start();
        // to a file, not a pipe read to its end: a CLI that hangs must fail this bound, not block the test
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        process.destroyForcibly();
        assertThat(ended).as("the CLI ends without an engine: " + Files.readString(console)).isTrue();
        return new Outcome(process.exitValue(), Files.readString(console));
    }

    static String nobodyListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** Testcontainers falls back to the default socket when DOCKER_HOST does not answer: where an engine listens there, this cannot be shown. */
    static boolean engineOnTheDefaultSocket() {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of("/var/run/docker.sock"))) {
            return channel.isConnected();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void runAndImagesSayInOneLineThatNoEngineAnswers() throws Exception {
        Assumptions.assumeFalse(engineOnTheDefaultSocket(), "an engine answers on /var/run/docker.sock, which Testcontainers would find instead");
        String dockerHost = nobodyListening();
        Path out = WORK.resolve("out");
        Outcome run = cli(dockerHost, "run", "--env", "testcontainers", "--home", WORK.resolve("home").toString(), "--out", out.toString(),
                HOME.resolve("experiments/smoke.yaml").toString());
        assertThat(run.exit()).as(run.output()).isEqualTo(BlastRadius.FAILED);
        assertThat(run.output()).contains("ERROR (gate failed) — no replica to run on: no Docker engine answers (DOCKER_HOST=" + dockerHost + ")").contains("--env local needs no Docker")
                .doesNotContain("\tat ").doesNotContain("Exception");

        Outcome images = cli(dockerHost, "images", "--home", HOME.toString());
        assertThat(images.exit()).as(images.output()).isEqualTo(BlastRadius.FAILED);
        assertThat(images.output()).contains("blastradius images: no Docker engine answers (DOCKER_HOST=" + dockerHost + ")")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(images.output().lines().filter(l -> l.startsWith("blastradius images:"))).as(images.output()).hasSize(1);
    }
}
