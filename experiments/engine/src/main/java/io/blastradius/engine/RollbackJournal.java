package io.blastradius.engine;

import io.blastradius.environment.Change;
import io.blastradius.environment.EnvironmentRef;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has changed and not yet undone, on disk, written before each change: if the runner dies
 * (even by SIGKILL), a later run or {@code blastradius rollback} reads it and undoes what is left.
 * One file per run under {@code runs/.rollback/}, removed once everything is undone.
 */
public final class RollbackJournal {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The file's content: which run, and how to reach the environment its changes were made in. */
    public record Content(String runId, long runnerPid, EnvironmentRef environment, List<Entry> entries) {
    }

    /** One change of one fault: applied until marked undone. */
    public record Entry(String faultId, Change change, boolean undone) {
    }

    private final Path file;
    private final String runId;
    private final EnvironmentRef environment;
    private final List<Entry> entries = new ArrayList<>();

    public RollbackJournal(Path directory, String runId, EnvironmentRef environment) {
        this.file = directory.resolve(runId + ".json");
        this.runId = runId;
        this.environment = environment;
    }

    public static Path directory(Path home) {
        return home.resolve("runs").resolve(".rollback");
    }

    /** Called before the change is made. */
    public synchronized void applying(String faultId, Change change) {
        entries.add(new Entry(faultId, change, false));
        write();
    }

    /** Every change of the fault is undone. */
    public synchronized void undone(String faultId) {
        entries.replaceAll(e -> e.faultId().equals(faultId) ? new Entry(faultId, e.change(), true) : e);
        write();
    }

    /** Everything is undone: the file goes. */
    public synchronized void close() {
        if (entries.stream().allMatch(Entry::undone)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new EngineException("could not remove the rollback journal " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(new Content(runId, ProcessHandle.current().pid(), environment,
                    List.copyOf(entries))));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException("could not write the rollback journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every journal left in {@code directory}. */
    public static List<Path> pending(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new EngineException("could not list " + directory + ": " + e.getMessage(), e);
        }
    }

    public static Content read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Content.class);
        } catch (RuntimeException e) {
            throw new EngineException("could not read the rollback journal " + file + ": " + e.getMessage(), e);
        }
    }
}
