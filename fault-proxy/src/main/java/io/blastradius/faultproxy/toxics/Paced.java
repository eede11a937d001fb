package io.blastradius.faultproxy.toxics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of chunks each sent at its own time, keeping order; an end that arrives while chunks wait
 * follows them. Shared by the toxics that pace data (bandwidth, slicer).
 */
final class Paced {

    private final StageContext context;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long nextFree;
    private boolean endPending;

    Paced(StageContext context) {
        this.context = context;
    }

    /** Sends {@code chunk} {@code gapNanos} after the previous one left (or now, if that is later). */
    void send(Chunk chunk, long gapNanos) {
        long now = context.nanoTime();
        nextFree = Math.max(now, nextFree) + gapNanos;
        queue.add(chunk);
        context.countDelayed();
        context.schedule(this::release, nextFree - now);
    }

    private void release() {
        Chunk chunk = queue.poll();
        if (chunk != null) {
            context.emit(chunk);
        }
        if (queue.isEmpty() && endPending) {
            context.end();
        }
    }

    void end() {
        if (queue.isEmpty()) {
            context.end();
        } else {
            endPending = true;
        }
    }

    List<Chunk> drain() {
        List<Chunk> held = new ArrayList<>(queue);
        queue.clear();
        return held;
    }
}
