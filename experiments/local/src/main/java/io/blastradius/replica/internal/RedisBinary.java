package io.blastradius.replica.internal;

import io.blastradius.replica.ReplicaException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a Redis server: {@code redis-server} on PATH, else the Linux/macOS binary packaged in
 * {@code com.github.codemonstur:embedded-redis} (Maven Central), extracted once to a cache folder.
 */
public final class RedisBinary {

    private RedisBinary() {
    }

    public static Path locate(Path cacheDir) {
        return onPath().orElseGet(() -> extract(cacheDir));
    }

    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Path extract(Path cacheDir) {
        String resource = resourceName();
        Path target = cacheDir.resolve(resource);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ReplicaException("no redis-server on PATH and no embedded Redis binary '" + resource
                        + "' for this platform; install Redis (e.g. apt-get install redis-server)");
            }
            Files.createDirectories(cacheDir);
            Path temp = Files.createTempFile(cacheDir, "redis-server", ".part");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ReplicaException("could not extract the embedded Redis binary to " + target + ": " + e.getMessage(), e);
        }
    }

    private static String resourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        return "redis-server-unsupported-" + os;
    }
}
