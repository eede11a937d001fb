package io.blastradius.engine;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.engine.env.AttachedEnvironment;
import io.blastradius.engine.env.Signals;
import io.blastradius.engine.faults.ChaosMonkeyFault;
import io.blastradius.engine.faults.UndoRecord;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Undoes what dead runs left applied, from their rollback journals: toxics removed, proxies enabled,
 * Chaos Monkey disabled, paused processes continued. A target that is gone (its replica died with its
 * run) has nothing left to undo. Journals of runs still alive are left alone.
 */
public final class Rollbacks {

    private Rollbacks() {
    }

    /** One line per journal and per undone change, for people. */
    public static List<String> undoPending(Path directory) {
        List<String> report = new ArrayList<>();
        for (Path file : RollbackJournal.pending(directory)) {
            RollbackJournal.Content content = RollbackJournal.read(file);
            if (content.runnerPid() != ProcessHandle.current().pid()
                    && ProcessHandle.of(content.runnerPid()).map(ProcessHandle::isAlive).orElse(false)) {
                report.add("run " + content.runId() + " is still running (pid " + content.runnerPid() + "); left alone");
                continue;
            }
            boolean allDone = true;
            for (RollbackJournal.Entry entry : content.entries()) {
                if (entry.undone()) {
                    continue;
                }
                try {
                    report.add("run " + content.runId() + ": " + undo(entry.undo(), content.replicaJson()));
                } catch (RuntimeException e) {
                    allDone = false;
                    report.add("run " + content.runId() + ": could not undo " + entry.undo().kind() + " " + entry.undo().where()
                            + ": " + e.getMessage());
                }
            }
            if (allDone) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    report.add("could not remove " + file + ": " + e.getMessage());
                }
            }
        }
        return report;
    }

    static String undo(UndoRecord undo, String replicaJson) {
        var where = undo.where();
        return switch (undo.kind()) {
            case "toxic" -> ifReachable(where.get("faultProxy"), () -> {
                ToxiproxyClient client = client(where.get("faultProxy"));
                try {
                    client.getProxy(where.get("proxy")).toxics().get(where.get("toxic")).remove();
                    return "removed toxic " + where.get("toxic") + " from " + where.get("proxy");
                } catch (IOException e) {
                    if (String.valueOf(e.getMessage()).contains("404")) {
                        return "toxic " + where.get("toxic") + " was already gone";
                    }
                    throw new EngineException(e.getMessage(), e);
                }
            });
            case "proxy-disabled" -> ifReachable(where.get("faultProxy"), () -> {
                try {
                    client(where.get("faultProxy")).getProxy(where.get("proxy")).enable();
                    return "enabled proxy " + where.get("proxy") + " again";
                } catch (IOException e) {
                    throw new EngineException(e.getMessage(), e);
                }
            });
            case "chaos-monkey" -> ifReachable(where.get("managementUrl"), () -> {
                String token = replicaJson == null ? "" : AttachedEnvironment.from(Path.of(replicaJson)).replica().managementToken();
                ChaosMonkeyFault.disable(URI.create(where.get("managementUrl")), token);
                return "disabled Chaos Monkey on " + where.get("service");
            });
            case "paused" -> {
                long pid = Long.parseLong(where.get("pid"));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    Signals.send(pid, "CONT");
                    yield "continued paused " + where.get("service") + " (pid " + pid + ")";
                }
                yield where.get("service") + " (pid " + pid + ") is gone; nothing to continue";
            }
            case "stopped" -> where.get("service") + " was left stopped; start it again with its environment";
            default -> throw new EngineException("unknown undo kind " + undo.kind());
        };
    }

    private interface Action {
        String run();
    }

    private static String ifReachable(String url, Action action) {
        try {
            return action.run();
        } catch (EngineException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConnectException) {
                    return url + " is gone (its replica stopped with the run); nothing to undo";
                }
            }
            if (String.valueOf(e.getMessage()).contains("Connection refused")) {
                return url + " is gone (its replica stopped with the run); nothing to undo";
            }
            throw e;
        }
    }

    private static ToxiproxyClient client(String url) {
        URI uri = URI.create(url);
        return new ToxiproxyClient(uri.getHost(), uri.getPort());
    }
}
