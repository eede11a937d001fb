package io.blastradius.faultproxy.toxics;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code bandwidth} {rate KB/s, KB = 1000 bytes}: data leaves no faster than the rate, in pieces of at
 * most 100 ms worth. {@code rate: 0} stalls the stream: nothing is delivered, the connection stays open
 * (the "cut" that Testcontainers' {@code setConnectionCut} relies on).
 */
public final class BandwidthToxic implements ToxicKind<BandwidthToxic.Attributes> {

    /** KB/s (1,000 bytes). */
    public record Attributes(long rate) {
    }


    @Override
    public String type() {
        return "bandwidth";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.rate() >= 0, "rate", ">= 0 (KB/s; 0 stalls the stream)", values.rate());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        long rate = values.rate();
        return rate == 0 ? new Stall(context) : new Throttle(context, rate);
    }

    private static final class Throttle implements Stage {
        private final Paced paced;
        private final long rate;
        private final int maxPiece;

        Throttle(StageContext context, long rate) {
            this.paced = new Paced(context);
            this.rate = rate;
            this.maxPiece = (int) Math.min(Integer.MAX_VALUE, rate * 100);
        }

        @Override
        public void onChunk(Chunk chunk) {
            while (chunk.size() > maxPiece) {
                Chunk piece = chunk.split(maxPiece);
                paced.send(piece, piece.size() * 1_000_000L / rate);
            }
            paced.send(chunk, chunk.size() * 1_000_000L / rate);
        }

        @Override
        public void onEnd(StageContext context) {
            paced.end();
        }

        @Override
        public List<Chunk> drain() {
            return paced.drain();
        }
    }

    private static final class Stall implements Stage {
        private final StageContext context;
        private final List<Chunk> held = new ArrayList<>();

        Stall(StageContext context) {
            this.context = context;
        }

        @Override
        public void onChunk(Chunk chunk) {
            context.countDropped();
            held.add(chunk);
        }

        @Override
        public void onEnd(StageContext context) {
            // a stalled stream never ends on its own
        }

        @Override
        public List<Chunk> drain() {
            List<Chunk> out = new ArrayList<>(held);
            held.clear();
            return out;
        }
    }
}
