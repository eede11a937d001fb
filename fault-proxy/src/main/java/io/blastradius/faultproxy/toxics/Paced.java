package io.blastradius.faultproxy.toxics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of chunks each sent at its own time, keeping order; an end that arrives while chunks wait
 * follows them. Shared by the toxics that pace data: after a gap from the previous chunk (bandwidth,
 * slicer) or at a time of their own (latency).
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
        hold(chunk, nextFree - now);
    }

    /**
     * Sends {@code chunk} at {@code dueNanos}, or when the previous one left if that is later (order is kept);
     * at once if that time has passed and nothing waits. A chunk held is stamped later by the time it waited,
     * so that a later toxic's delay adds to this one's.
     */
    void sendAt(Chunk chunk, long dueNanos) {
        long now = context.nanoTime();
        nextFree = Math.max(dueNanos, nextFree);
        long wait = nextFree - now;
        if (wait <= 0 && queue.isEmpty()) {
            context.emit(chunk);
            return;
        }
        chunk.delayBy(Math.max(0, wait));
        hold(chunk, Math.max(0, wait));
    }

    private void hold(Chunk chunk, long waitNanos) {
        queue.add(chunk);
        context.countDelayed();
        context.schedule(this::release, waitNanos);
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
