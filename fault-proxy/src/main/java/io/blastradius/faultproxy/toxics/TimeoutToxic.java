package io.blastradius.faultproxy.toxics;

import java.util.concurrent.TimeUnit;

/**
 * {@code timeout} {timeout ms}: all data in its direction is dropped. With {@code timeout > 0} the
 * connection is closed after that much time with no incoming data (every chunk re-arms the timer);
 * with 0 it stays open, silent, for ever. Removing the toxic closes the connections it touched: their
 * stream has lost data.
 */
public final class TimeoutToxic implements ToxicKind<TimeoutToxic.Attributes> {

    /** Milliseconds; 0 holds for ever. */
    public record Attributes(long timeout) {
    }


    @Override
    public String type() {
        return "timeout";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.timeout() >= 0, "timeout", ">= 0 (milliseconds; 0 holds for ever)", values.timeout());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        return new Timeout(context, TimeUnit.MILLISECONDS.toNanos(values.timeout()));
    }

    private static final class Timeout implements Stage {
        private final StageContext context;
        private final long timeoutNanos;
        private long lastActivity;

        Timeout(StageContext context, long timeoutNanos) {
            this.context = context;
            this.timeoutNanos = timeoutNanos;
            this.lastActivity = context.nanoTime();
            arm(timeoutNanos);
        }

        private void arm(long delay) {
            if (timeoutNanos > 0) {
                context.schedule(this::check, delay);
            }
        }

        private void check() {
            long idle = context.nanoTime() - lastActivity;
            if (idle >= timeoutNanos) {
                context.closeConnection(false);
            } else {
                arm(timeoutNanos - idle);
            }
        }

        @Override
        public void onChunk(Chunk chunk) {
            lastActivity = context.nanoTime();
            context.countDropped();
            chunk.release();
        }

        @Override
        public void onEnd(StageContext ignored) {
            // the peer's close is swallowed too: the connection just goes quiet
        }

        @Override
        public void onRemoved(StageContext ignored) {
            context.closeConnection(false);
        }
    }
}
