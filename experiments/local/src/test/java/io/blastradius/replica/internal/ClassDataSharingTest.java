package io.blastradius.replica.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataSharingTest {

    @TempDir
    Path dir;

    /** A JDK home with only what the archive needs of it: bin/java and the release file. */
    String jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.getParent().resolve("release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"" + version + "\"\n");
        return java.toString();
    }

    Path bootJar() throws IOException {
        Path jar = Files.writeString(Files.createDirectories(dir.resolve("gateway/target")).resolve("gateway.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.createDirectories(jar.resolveSibling("cds"));
        Files.writeString(jar.resolveSibling("cds").resolve("gateway.jar"), "extracted");
        return jar;
    }

    @Test
    void eachJdkHasItsOwnArchiveAndTheKindItsVersionOffers() throws IOException {
        Path jar = bootJar();
        String jdk17 = jdk("jdk17", "17.0.15");
        String jdk25 = jdk("jdk25", "25.0.3");
        Path cds = jar.resolveSibling("cds");

        assertThat(ClassDataSharing.launchArguments(jar, jdk25)).as("no archive yet: the Boot jar").containsExactly("-jar", jar.toString());
        Files.writeString(cds.resolve("gateway-jdk17.0.15.jsa"), "archive");
        assertThat(ClassDataSharing.isFresh(jar, jdk17)).isTrue();
        assertThat(ClassDataSharing.isFresh(jar, jdk25)).as("JDK 17's archive serves no other JDK").isFalse();
        assertThat(ClassDataSharing.launchArguments(jar, jdk17))
                .containsExactly("-XX:SharedArchiveFile=" + cds.resolve("gateway-jdk17.0.15.jsa"), "-jar", cds.resolve("gateway.jar").toString());

        Files.writeString(cds.resolve("gateway-jdk25.0.3.aot"), "cache");
        assertThat(ClassDataSharing.launchArguments(jar, jdk25))
                .containsExactly("-XX:AOTCache=" + cds.resolve("gateway-jdk25.0.3.aot"), "-jar", cds.resolve("gateway.jar").toString());
        assertThat(ClassDataSharing.kind(jdk25)).isEqualTo("an AOT cache");
        assertThat(ClassDataSharing.kind(jdk17)).isEqualTo("a class-data archive");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(ClassDataSharing.isFresh(jar, jdk25)).as("a rebuilt jar makes every archive stale").isFalse();
    }

    @Test
    void aJavaWithoutAReleaseFileIsTakenForTheFloor() throws IOException {
        Path java = Files.writeString(Files.createDirectories(dir.resolve("odd/bin")).resolve("java"), "#!/bin/sh\n");
        assertThat(ClassDataSharing.kind(java.toString())).isEqualTo("a class-data archive");
    }
}
