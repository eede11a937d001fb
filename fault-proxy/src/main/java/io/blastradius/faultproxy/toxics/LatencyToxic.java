package io.blastradius.faultproxy.toxics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency} {latency ms, jitter ms}: every chunk leaves {@code latency ± jitter} after it was
 * received, in order. Pipelined: chunks wait concurrently, so the delay is added once, not per chunk.
 */
public final class LatencyToxic implements ToxicKind {

    @Override
    public String type() {
        return "latency";
    }

    @Override
    public List<String> attributes() {
        return List.of("latency", "jitter");
    }

    @Override
    public void validate(Map<String, Long> values) {
        ToxicKind.require(values.get("latency") >= 0, "latency", ">= 0 (milliseconds)", values.get("latency"));
        ToxicKind.require(values.get("jitter") >= 0, "jitter", ">= 0 (milliseconds)", values.get("jitter"));
    }

    @Override
    public Stage newStage(Map<String, Long> values, StageContext context) {
        return new Delay(context, values.get("latency"), values.get("jitter"));
    }

    private static final class Delay implements Stage {
        private final StageContext context;
        private final long latencyNanos;
        private final long jitterNanos;
        private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();
        private long lastDue;
        private boolean endPending;

        Delay(StageContext context, long latencyMillis, long jitterMillis) {
            this.context = context;
            this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
            this.jitterNanos = TimeUnit.MILLISECONDS.toNanos(jitterMillis);
        }

        @Override
        public void onChunk(Chunk chunk) {
            long now = context.nanoTime();
            long delay = latencyNanos;
            if (jitterNanos > 0) {
                delay += context.random().nextLong(2 * jitterNanos) - jitterNanos;
            }
            long due = Math.max(chunk.timestampNanos() + delay, lastDue);
            lastDue = due;
            long wait = due - now;
            if (wait <= 0 && waiting.isEmpty()) {
                context.emit(chunk);
                return;
            }
            chunk.delayBy(Math.max(0, wait));
            context.countDelayed();
            waiting.add(chunk);
            context.schedule(this::release, Math.max(0, wait));
        }

        private void release() {
            Chunk chunk = waiting.poll();
            if (chunk != null) {
                context.emit(chunk);
            }
            if (waiting.isEmpty() && endPending) {
                context.end();
            }
        }

        @Override
        public void onEnd(StageContext ignored) {
            if (waiting.isEmpty()) {
                context.end();
            } else {
                endPending = true;
            }
        }

        @Override
        public List<Chunk> drain() {
            List<Chunk> held = new ArrayList<>(waiting);
            waiting.clear();
            return held;
        }
    }
}
