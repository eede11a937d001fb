package io.blastradius.faultproxy.toxics;

import io.netty.buffer.ByteBuf;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/** What a {@link Stage} may do: pass data on, end or cut the connection, wait, roll dice, count. */
public interface StageContext {

    /** Hands a chunk to the next toxic in the chain (or to the destination socket). */
    void emit(Chunk chunk);

    /** Passes the end of the stream on: the destination is closed once what was emitted is written. */
    void end();

    /**
     * Writes {@code data} back to where this link's data comes from (the client, on an upstream link), past the
     * other direction's toxics: an answer given in the upstream's place.
     */
    void reply(ByteBuf data);

    /** Closes both sides of the connection now; with {@code reset}, as a TCP RST instead of a FIN. */
    void closeConnection(boolean reset);

    /** Runs {@code task} on the connection's event loop after {@code delayNanos}; cancelled on rebuild. */
    void schedule(Runnable task, long delayNanos);

    long nanoTime();

    /** This link's random source, derived from the proxy's seed: replays are exact. */
    SplittableRandom random();

    /** State that outlives rebuilds of the chain (for example limit_data's byte count). */
    <T> T state(Supplier<T> initial);

    /** Counts a chunk this toxic delayed. */
    void countDelayed();

    /** Counts a chunk this toxic dropped (or withheld). */
    void countDropped();
}
