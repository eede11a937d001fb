package io.blastradius.faultproxy.toxics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code slow_close} {delay ms}: data passes untouched; the close that follows the source's EOF comes {@code delay} late. */
public final class SlowCloseToxic implements ToxicKind {

    @Override
    public String type() {
        return "slow_close";
    }

    @Override
    public List<String> attributes() {
        return List.of("delay");
    }

    @Override
    public void validate(Map<String, Long> values) {
        ToxicKind.require(values.get("delay") >= 0, "delay", ">= 0 (milliseconds)", values.get("delay"));
    }

    @Override
    public Stage newStage(Map<String, Long> values, StageContext context) {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(values.get("delay"));
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
