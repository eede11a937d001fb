package io.blastradius.engine;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a suite's time outside its experiments' phases goes, part by part, as the suite and its runners
 * measure it: what {@link Reports#wallTime} splits the share outside the phases into.
 */
public final class Overhead {

    /** The parts, in the words the wall-time line uses. */
    public enum Part {
        REPLICA("replica start-up"),
        RESET("resets"),
        SETTLE("settling"),
        SESSIONS("sessions made in advance"),
        WRAP_UP("rollbacks and last answers"),
        REPORTS("reports"),
        STOP("replica stop");

        private final String words;

        Part(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final Map<Part, Long> nanos = new EnumMap<>(Part.class);

    public synchronized void add(Part part, long elapsedNanos) {
        nanos.merge(part, elapsedNanos, Long::sum);
    }

    /** Runs {@code work} and adds the time it took to {@code part}, whether it returns or throws. */
    public <T> T time(Part part, Supplier<T> work) {
        long began = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(part, System.nanoTime() - began);
        }
    }

    public void time(Part part, Runnable work) {
        time(part, () -> {
            work.run();
            return null;
        });
    }

    /** Each part measured so far. */
    public synchronized Map<Part, Duration> parts() {
        Map<Part, Duration> out = new EnumMap<>(Part.class);
        nanos.forEach((part, n) -> out.put(part, Duration.ofNanos(n)));
        return Collections.unmodifiableMap(out);
    }
}
