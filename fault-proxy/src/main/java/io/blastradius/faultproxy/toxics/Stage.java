package io.blastradius.faultproxy.toxics;

import java.util.List;

/**
 * What one toxic does to one direction of one connection. Every call comes on that connection's event
 * loop, so a stage needs no locking. A stage hands chunks on with {@link StageContext#emit}, or drops
 * them (and releases them).
 */
public interface Stage {

    void onChunk(Chunk chunk);

    /** The source is done (EOF or closed). By default the end passes on at once. */
    default void onEnd(StageContext context) {
        context.end();
    }

    /**
     * The chain is being rebuilt (a toxic added, updated or removed): give back, oldest first, what this
     * stage still holds so it can be sent on at once. Scheduled work is cancelled by the context.
     */
    default List<Chunk> drain() {
        return List.of();
    }

    /** This stage's toxic was removed from the proxy (not merely rebuilt). */
    default void onRemoved(StageContext context) {
    }
}
