package io.blastradius.faultproxy.toxics;


/** {@code noop}: passes data through untouched. Also what a toxic does on a connection its toxicity roll spared. */
public final class NoopToxic implements ToxicKind<NoopToxic.Attributes> {

    /** None. */
    public record Attributes() {
    }


    @Override
    public String type() {
        return "noop";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        return pass(context);
    }

    public static Stage pass(StageContext context) {
        return context::emit;
    }
}
