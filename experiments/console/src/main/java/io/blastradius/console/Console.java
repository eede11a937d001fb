package io.blastradius.console;

import io.blastradius.engine.RunListener;
import io.blastradius.engine.Suite;
import io.blastradius.environment.Secrets;
import io.blastradius.experiment.Experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The game-day console: a live page on loopback whose URL carries a token made for it alone. Either it runs
 * what the page picks ({@link #start}: {@code blastradius console}) or it watches a {@code blastradius run}
 * ({@link #watch}: {@code run --console}); either way it streams what the engine says as it goes, and its
 * emergency stop aborts the run and undoes every fault in place.
 */
public final class Console implements AutoCloseable {

    private final Runs runs;
    private final LiveFeed feed;
    private final ConsoleServer server;

    private Console(Runs runs, LiveFeed feed, ConsoleServer server) {
        this.runs = runs;
        this.feed = feed;
        this.server = server;
    }

    /**
     * Serves a console that runs the experiments the page picks, on {@code port} of 127.0.0.1 (0: any free one).
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
            return new Console(gameDay, feed, new ConsoleServer(gameDay, feed, Secrets.random(), port));
        } catch (RuntimeException e) {
            gameDay.close();
            throw e;
        }
    }

    /**
     * Serves a console that watches a suite run on the calling thread: give the suite {@link #listener()},
     * and call {@link #finished} when it ends. Its stop interrupts the calling thread, as Ctrl-C does.
     */
    public static Console watch(List<Experiment> experiments, Path runDir, int port) {
        LiveFeed feed = new LiveFeed(System::nanoTime);
        feed.run(1);
        WatchedRun watched = new WatchedRun(experiments, Thread.currentThread(), feed, runDir);
        return new Console(watched, feed, new ConsoleServer(watched, feed, Secrets.random(), port));
    }

    /** What the run must tell, for the page to show it. */
    public RunListener listener() {
        return feed;
    }

    /** A watched suite has ended, with these verdicts; its report.html is in its folder. */
    public void finished(List<String> verdicts) {
        if (runs instanceof WatchedRun watched) {
            watched.finished(verdicts);
        }
    }

    /** The page's address, token included. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** Closes the page first (no request can start anything more), then stops a run it started (every fault undone) and its replica. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (runs instanceof GameDay gameDay) {
                gameDay.close();
            }
        }
    }
}
