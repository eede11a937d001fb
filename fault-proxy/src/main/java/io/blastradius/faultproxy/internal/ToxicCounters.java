package io.blastradius.faultproxy.internal;

import java.util.concurrent.atomic.LongAdder;

/** Live counts for one toxic: how many connections it applied to, and chunks it delayed or dropped. */
public final class ToxicCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAdder dropped = new LongAdder();

    public long connections() {
        return connections.sum();
    }

    public long delayed() {
        return delayed.sum();
    }

    public long dropped() {
        return dropped.sum();
    }
}
