package io.blastradius.engine;

import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.Environments;
import io.blastradius.environment.UnreachableEnvironmentException;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Undoes what dead runs left applied, from their rollback journals, through the environment each run
 * made its changes in (reached again by its {@link EnvironmentRef}): the same {@link
 * io.blastradius.environment.Change#undo} a live run uses. A part that is gone (its replica died with
 * its run) has nothing left to undo. Journals of runs still alive are left alone.
 */
public final class Rollbacks {

    private Rollbacks() {
    }

    /** One line per journal and per undone change, for people. */
    public static List<String> undoPending(Path directory) {
        return undoPending(directory, provider -> true);
    }

    /** The same, for the journals of runs in the environments named (the others are left as they are). */
    public static List<String> undoPending(Path directory, Predicate<String> provider) {
        List<String> report = new ArrayList<>();
        for (Path file : RollbackJournal.pending(directory)) {
            RollbackJournal.Content content;
            try {
                content = RollbackJournal.read(file);
            } catch (EngineException e) {
                report.add("could not undo what " + file + " lists (" + e.getMessage() + "); undo it by hand, then delete the file");
                continue;
            }
            if (!provider.test(content.environment().provider())) {
                continue;
            }
            if (content.runnerPid() != ProcessHandle.current().pid()
                    && ProcessHandle.of(content.runnerPid()).map(ProcessHandle::isAlive).orElse(false)) {
                report.add("run " + content.runId() + " is still running (pid " + content.runnerPid() + "); left alone");
                continue;
            }
            if (undo(content, report)) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    report.add("could not remove " + file + ": " + e.getMessage());
                }
            }
        }
        return report;
    }

    /** Whether everything the journal lists is undone (or gone). */
    private static boolean undo(RollbackJournal.Content content, List<String> report) {
        String run = "run " + content.runId() + ": ";
        List<RollbackJournal.Entry> pending = content.entries().stream().filter(e -> !e.undone()).toList();
        if (pending.isEmpty()) {
            return true;
        }
        EnvironmentRef ref = content.environment();
        Environment environment;
        try {
            environment = Environments.named(ref.provider()).reattach(ref.parameters());
        } catch (UnreachableEnvironmentException e) {
            report.add(run + "could not undo " + pending.size() + " change(s): " + e.getMessage() + "; run blastradius rollback again once it can be reached");
            return false;
        } catch (EnvironmentException e) {
            report.add(run + "its " + ref.provider() + " environment is gone (" + e.getMessage() + "); nothing to undo");
            return true;
        } catch (IllegalArgumentException e) {
            report.add(run + "could not undo " + pending.size() + " change(s): " + e.getMessage());
            return false;
        }
        boolean allDone = true;
        try (environment) {
            for (int i = pending.size() - 1; i >= 0; i--) {
                var change = pending.get(i).change();
                try {
                    report.add(run + change.undo(environment));
                } catch (RuntimeException e) {
                    if (isGone(e)) {
                        report.add(run + "what " + change + " changed is gone (its replica stopped with the run); nothing to undo");
                    } else {
                        allDone = false;
                        report.add(run + "could not undo " + change + ": " + e.getMessage());
                    }
                }
            }
        }
        return allDone;
    }

    private static boolean isGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreachableEnvironmentException) {
                return false; // its replica may well be there: the journal stays
            }
            if (t instanceof ConnectException || String.valueOf(t.getMessage()).contains("Connection refused")) {
                return true;
            }
        }
        return false;
    }
}
