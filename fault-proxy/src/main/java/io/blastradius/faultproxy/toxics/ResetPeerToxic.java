package io.blastradius.faultproxy.toxics;

import java.util.concurrent.TimeUnit;

/**
 * {@code reset_peer} {timeout ms}: when the first data (or the end) arrives in its direction, wait
 * {@code timeout}, then reset the connection with a TCP RST. Unlike the reference server it resets
 * whether the toxic was there at accept time or added later, and a toxicity roll that spares a
 * connection really spares it.
 */
public final class ResetPeerToxic implements ToxicKind<ResetPeerToxic.Attributes> {

    /** Milliseconds. */
    public record Attributes(long timeout) {
    }


    @Override
    public String type() {
        return "reset_peer";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.timeout() >= 0, "timeout", ">= 0 (milliseconds)", values.timeout());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(values.timeout());
        return new Stage() {
            private boolean triggered;

            private void trigger() {
                if (!triggered) {
                    triggered = true;
                    context.schedule(() -> context.closeConnection(true), timeoutNanos);
                }
            }

            @Override
            public void onChunk(Chunk chunk) {
                context.countDropped();
                chunk.release();
                trigger();
            }

            @Override
            public void onEnd(StageContext ignored) {
                trigger();
            }
        };
    }
}
