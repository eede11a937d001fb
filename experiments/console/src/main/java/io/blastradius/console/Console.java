package io.blastradius.console;

import io.blastradius.engine.RunListener;
import io.blastradius.engine.Suite;
import io.blastradius.environment.Secrets;
import io.blastradius.experiment.Experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * {@code blastradius console}: a live page for a game day, on loopback, for the experiments given. It runs
 * them on a suite of its own (one replica for its life) and streams what the engine says as it goes; its
 * URL carries a token made for this console alone. Closing it stops a run still going (every fault undone)
 * and the replica.
 */
public final class Console implements AutoCloseable {

    private final GameDay gameDay;
    private final ConsoleServer server;

    private Console(GameDay gameDay, ConsoleServer server) {
        this.gameDay = gameDay;
        this.server = server;
    }

    /**
     * Serves the console on {@code port} of 127.0.0.1 (0: any free one).
     *
     * @param suite       where its runs go: made by the caller with the listener it is given (the console's
     *                    live feed, which the caller may combine with its own)
     * @param experiments what the page offers
     * @param runsDir     where each run's folder goes
     */
    public static Console start(Function<RunListener, Suite> suite, List<Experiment> experiments, Path runsDir, int port) {
        LiveFeed feed = new LiveFeed(System::nanoTime);
        GameDay gameDay = new GameDay(suite.apply(feed), experiments, runsDir, feed);
        try {
            return new Console(gameDay, new ConsoleServer(gameDay, feed, Secrets.random(), port));
        } catch (RuntimeException e) {
            gameDay.close();
            throw e;
        }
    }

    /** The page's address, token included. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            gameDay.close();
        } finally {
            server.close();
        }
    }
}
