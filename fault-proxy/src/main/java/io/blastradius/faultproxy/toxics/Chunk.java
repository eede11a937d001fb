package io.blastradius.faultproxy.toxics;

import io.netty.buffer.ByteBuf;

/**
 * One read from a socket on its way through a link, stamped with the time it was received (shifted by
 * the time earlier toxics held it, so that stacked latency toxics add up).
 */
public final class Chunk {

    private final ByteBuf data;
    private long timestampNanos;

    public Chunk(ByteBuf data, long timestampNanos) {
        this.data = data;
        this.timestampNanos = timestampNanos;
    }

    public ByteBuf data() {
        return data;
    }

    public int size() {
        return data.readableBytes();
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public void delayBy(long nanos) {
        timestampNanos += nanos;
    }

    /** The first {@code length} bytes as a chunk of their own, sharing this chunk's timestamp. */
    public Chunk split(int length) {
        return new Chunk(data.readRetainedSlice(length), timestampNanos);
    }

    public void release() {
        data.release();
    }
}
