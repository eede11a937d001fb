package io.blastradius.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code blastradius up} as a user runs it: a separate launcher process. Uses the coupled profile, so it
 * also shows that profile's leak, then SIGKILLs the launcher and checks that nothing outlives it.
 */
class UpCommandIT {

    static final Path HOME = Path.of(System.getProperty("blastradius.home", "..")).toAbsolutePath().normalize();
    static final String MESSAGE = "{\"model\":\"stub\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    Process launcher;
    final List<Long> pids = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        if (launcher != null) {
            launcher.destroyForcibly();
        }
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void upStartsTheCoupledReplicaOnThePinnedPortAndNothingOutlivesASigkilledLauncher() throws Exception {
        int gatewayPort = freePort();
        Path out = HOME.resolve("experiments/cli/target/it-runs/up-" + System.nanoTime());
        Path console = Files.createDirectories(out.getParent()).resolve(out.getFileName() + ".console.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString(),
                "up", "--profile", "coupled", "--gateway-port", Integer.toString(gatewayPort), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("BLASTRADIUS_HOME", HOME.toString());
        launcher = builder.start();

        JsonNode replica = awaitReplicaJson(out.resolve("replica.json"), Duration.ofSeconds(180));
        // replica.json is written before the endpoints are printed: wait for the last line
        long printed = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.readString(console).contains("Press Ctrl-C to stop.") && System.nanoTime() < printed) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(console)).contains("The replica is up (coupled)").contains("br-demo-key")
                .contains("demo / demo-password").contains(out.resolve("replica.json").toString())
                .doesNotContain(replica.path("managementToken").asString());
        assertThat(replica.path("gatewayUrl").asString()).isEqualTo("http://127.0.0.1:" + gatewayPort);
        assertThat(replica.path("links").size()).as("a fault proxy on every hop").isEqualTo(4);
        assertThat(Files.readString(console)).contains("Fault proxy (Toxiproxy API " + replica.path("faultProxyUrl").asString());
        replica.path("services").forEach(service -> pids.add(service.path("pid").asLong()));
        assertThat(pids).hasSize(5).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

        String gateway = replica.path("gatewayUrl").asString();
        assertThat(api(gateway)).isEqualTo(200);
        long auth = replica.path("services").path("auth-service").path("pid").asLong();
        ProcessHandle authProcess = ProcessHandle.of(auth).orElseThrow();
        authProcess.destroyForcibly();
        authProcess.onExit().get();
        assertThat(api(gateway)).as("coupled: the API depends on auth-service").isEqualTo(503);

        launcher.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pids.stream().anyMatch(UpCommandIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(pids).as("no replica process outlives its launcher").noneMatch(UpCommandIT::alive);
    }

    @Test
    void anUnknownProfileIsInvalidInputWithExitCode2() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-jar", HOME.resolve("experiments/cli/target/blastradius-cli.jar").toString(),
                "up", "--profile", "loose").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isEqualTo(2);
        assertThat(output).contains("profile must be one of decoupled, coupled, but was 'loose'");
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static int api(String gateway) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/messages"))
                .header("x-api-key", "br-demo-key").header("content-type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    JsonNode awaitReplicaJson(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> json = read(file);
            if (json.isPresent()) {
                return json.get();
            }
            assertThat(launcher.isAlive()).as("the launcher exited before the replica was up").isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("no replica.json within " + timeout);
    }

    static Optional<JsonNode> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(JsonMapper.builder().build().readTree(file.toFile())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
