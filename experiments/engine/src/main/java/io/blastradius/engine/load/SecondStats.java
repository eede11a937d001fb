package io.blastradius.engine.load;

import io.blastradius.experiment.Outcome;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.ShortCountsHistogram;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * What happened to the requests one route intended to send in one second of the run: how many, how they
 * ended, and their latency measured from the intended send time (failures included, with the time they
 * took to fail). Thread-safe; snapshots are copies.
 */
public final class SecondStats {

    /** Longest latency recorded, in microseconds: 10 minutes (longer ones count as 10 minutes). */
    static final long MAX_MICROS = 600_000_000L;

    /**
     * Latency in microseconds, 3 significant digits, sized to what it holds: one per route per second
     * is kept for the whole suite, and a fixed 10-minute range would take 170 KB each.
     */
    static Histogram newHistogram() {
        return new Histogram(3);
    }

    /**
     * One second's latencies as they are kept: with 16-bit counts, a quarter of the memory of {@link #newHistogram()}'s
     * (a soak of 30 minutes kept 470 MiB of them at 64-bit counts). No count can pass 32,767 in a second: a route's rate
     * is at most 4,000/s, plus at most 1,000 users logging in again; a histogram that would overflow is widened instead.
     */
    static AbstractHistogram newCompactHistogram() {
        return new ShortCountsHistogram(3);
    }

    private final int second;
    /** Null while {@link #compact() compacted}, when {@link #packedLatency} holds it. */
    private AbstractHistogram latency = newCompactHistogram();
    /** The latencies of the requests that did not succeed alone (how fast a failure is): made at the first one. */
    private AbstractHistogram failureLatency;
    /** The histograms of a second that is over, in HdrHistogram's compressed form (null: none, or not compacted). */
    private byte[] packedLatency;
    private byte[] packedFailureLatency;
    private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    private long sent;
    private long relogins;

    SecondStats(int second) {
        this.second = second;
    }

    public int second() {
        return second;
    }

    synchronized void sent() {
        sent++;
    }

    /** A login sent by a user whose session was refused (counted in {@link #sentCount()} too). */
    synchronized void sentRelogin() {
        sent++;
        relogins++;
    }

    synchronized void record(Outcome outcome, long latencyMicros) {
        if (packedLatency != null) {
            unpack(); // a late answer to a second already compacted
        }
        outcomes.merge(outcome, 1L, Long::sum);
        long micros = Math.max(1, Math.min(latencyMicros, MAX_MICROS));
        latency = recorded(latency, micros);
        if (outcome != Outcome.SUCCESS) {
            failureLatency = recorded(failureLatency == null ? newCompactHistogram() : failureLatency, micros);
        }
    }

    /** {@code histogram} with {@code micros} recorded: itself, or a copy with 64-bit counts if a 16-bit count would overflow. */
    private static AbstractHistogram recorded(AbstractHistogram histogram, long micros) {
        try {
            histogram.recordValue(micros);
            return histogram;
        } catch (IllegalStateException overflow) {
            Histogram wide = widened(histogram);
            wide.recordValue(micros);
            return wide;
        }
    }

    private static Histogram widened(AbstractHistogram histogram) {
        Histogram wide = newHistogram();
        wide.add(histogram);
        return wide;
    }

    public synchronized long sentCount() {
        return sent;
    }

    /** Of {@link #sentCount()}, the logins of users whose session was refused, beyond the plan's rate. */
    public synchronized long relogins() {
        return relogins;
    }

    public synchronized long completed() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long count(Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    public synchronized Histogram latency() {
        return packedLatency != null ? unpacked(packedLatency) : widened(latency);
    }

    /** The latencies of the requests that failed, whatever the way: how long a caller waited to learn of it. */
    public synchronized Histogram failureLatency() {
        if (packedFailureLatency != null) {
            return unpacked(packedFailureLatency);
        }
        return failureLatency == null ? newHistogram() : widened(failureLatency);
    }

    /**
     * Keeps this second's histograms compressed (a few hundred bytes instead of tens of KiB): for a second that is over,
     * whose requests have been answered. The series of a long run are kept whole for its report, and without this grew
     * by MiBs a minute. Reading them unpacks a copy; a late answer unpacks them for good. Doing it twice is harmless.
     */
    synchronized void compact() {
        if (packedLatency != null) {
            return;
        }
        packedLatency = packed(latency);
        packedFailureLatency = failureLatency == null ? null : packed(failureLatency);
        latency = null;
        failureLatency = null;
    }

    /** About how many bytes its latencies take: the histograms' estimate, or their packed length. */
    synchronized long footprint() {
        if (packedLatency != null) {
            return packedLatency.length + (packedFailureLatency == null ? 0 : packedFailureLatency.length);
        }
        return latency.getEstimatedFootprintInBytes() + (failureLatency == null ? 0 : failureLatency.getEstimatedFootprintInBytes());
    }

    /** Whether {@link #compact()} packed it (and no late answer has unpacked it since). */
    synchronized boolean compacted() {
        return packedLatency != null;
    }

    private void unpack() {
        latency = unpacked(packedLatency);
        failureLatency = packedFailureLatency == null ? null : unpacked(packedFailureLatency);
        packedLatency = null;
        packedFailureLatency = null;
    }

    private static byte[] packed(AbstractHistogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    /** An auto-resizing copy of a packed histogram, as {@link #newHistogram()} makes them. */
    private static Histogram unpacked(byte[] bytes) {
        try {
            Histogram histogram = newHistogram();
            histogram.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
            return histogram;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a second's latencies, packed here, did not unpack", e);
        }
    }
}
