package io.blastradius.faultproxy.toxics;

import java.util.List;
import java.util.Map;

/** {@code noop}: passes data through untouched. Also what a toxic does on a connection its toxicity roll spared. */
public final class NoopToxic implements ToxicKind {

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public List<String> attributes() {
        return List.of();
    }

    @Override
    public Stage newStage(Map<String, Long> values, StageContext context) {
        return pass(context);
    }

    public static Stage pass(StageContext context) {
        return context::emit;
    }
}
