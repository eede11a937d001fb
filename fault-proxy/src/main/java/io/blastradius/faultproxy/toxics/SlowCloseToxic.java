package io.blastradius.faultproxy.toxics;

import java.util.concurrent.TimeUnit;

/** {@code slow_close} {delay ms}: data passes untouched; the close that follows the source's EOF comes {@code delay} late. */
public final class SlowCloseToxic implements ToxicKind<SlowCloseToxic.Attributes> {

    /** Milliseconds. */
    public record Attributes(long delay) {
    }


    @Override
    public String type() {
        return "slow_close";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.delay() >= 0, "delay", ">= 0 (milliseconds)", values.delay());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(values.delay());
        return new Stage() {
            @Override
            public void onChunk(Chunk chunk) {
                context.emit(chunk);
            }

            @Override
            public void onEnd(StageContext ctx) {
                context.schedule(context::end, delayNanos);
            }
        };
    }
}
