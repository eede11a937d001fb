package io.blastradius.faultproxy.toxics;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency} {latency ms, jitter ms}: every chunk leaves {@code latency ± jitter} after it was
 * received, in order. Pipelined: chunks wait concurrently, so the delay is added once, not per chunk.
 */
public final class LatencyToxic implements ToxicKind<LatencyToxic.Attributes> {

    /** Milliseconds. */
    public record Attributes(long latency, long jitter) {
    }


    @Override
    public String type() {
        return "latency";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.latency() >= 0, "latency", ">= 0 (milliseconds)", values.latency());
        ToxicKind.require(values.jitter() >= 0, "jitter", ">= 0 (milliseconds)", values.jitter());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        return new Delay(context, values.latency(), values.jitter());
    }

    private static final class Delay implements Stage {
        private final StageContext context;
        private final Paced paced;
        private final long latencyNanos;
        private final long jitterNanos;

        Delay(StageContext context, long latencyMillis, long jitterMillis) {
            this.context = context;
            this.paced = new Paced(context);
            this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
            this.jitterNanos = TimeUnit.MILLISECONDS.toNanos(jitterMillis);
        }

        @Override
        public void onChunk(Chunk chunk) {
            long delay = latencyNanos;
            if (jitterNanos > 0) {
                delay += context.random().nextLong(2 * jitterNanos) - jitterNanos;
            }
            paced.sendAt(chunk, chunk.timestampNanos() + delay);
        }

        @Override
        public void onEnd(StageContext ignored) {
            paced.end();
        }

        @Override
        public List<Chunk> drain() {
            return paced.drain();
        }
    }
}
