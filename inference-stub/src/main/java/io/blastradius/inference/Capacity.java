package io.blastradius.inference;

import java.util.concurrent.atomic.AtomicInteger;

/** The stub's finite capacity: at most {@code limit} requests in flight, streams included. */
final class Capacity {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    Capacity(int limit) {
        this.limit = limit;
    }

    boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

}
