package io.blastradius.faultproxy.toxics;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code slicer} {average_size bytes, size_variation bytes, delay µs}: every chunk is cut into small
 * pieces (halved recursively, each cut shifted by ± size_variation, until a piece is at most
 * average_size + size_variation) sent {@code delay} microseconds apart.
 */
public final class SlicerToxic implements ToxicKind<SlicerToxic.Attributes> {

    /** Bytes, bytes, microseconds. */
    public record Attributes(long averageSize, long sizeVariation, long delay) {
    }


    @Override
    public String type() {
        return "slicer";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        long average = values.averageSize();
        ToxicKind.require(average >= 1, "average_size", ">= 1 (bytes)", average);
        long variation = values.sizeVariation();
        ToxicKind.require(variation >= 0 && variation < average, "size_variation",
                ">= 0 and below average_size (" + average + ")", variation);
        ToxicKind.require(values.delay() >= 0, "delay", ">= 0 (microseconds)", values.delay());
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        return new Slicer(context, (int) values.averageSize(), (int) values.sizeVariation(),
                values.delay() * 1_000L);
    }

    /** Where to cut {@code size} bytes: the piece sizes, in order. */
    static List<Integer> cuts(int size, int average, int variation, SplittableRandom random) {
        List<Integer> pieces = new ArrayList<>();
        cut(size, average, variation, random, pieces);
        return pieces;
    }

    private static void cut(int size, int average, int variation, SplittableRandom random, List<Integer> pieces) {
        if (size <= average + variation) {
            pieces.add(size);
            return;
        }
        int mid = size / 2;
        if (variation > 0) {
            mid += random.nextInt(2 * variation) - variation;
        }
        mid = Math.max(1, Math.min(size - 1, mid));
        cut(mid, average, variation, random, pieces);
        cut(size - mid, average, variation, random, pieces);
    }

    private static final class Slicer implements Stage {
        private final StageContext context;
        private final Paced paced;
        private final int average;
        private final int variation;
        private final long delayNanos;

        Slicer(StageContext context, int average, int variation, long delayNanos) {
            this.context = context;
            this.paced = new Paced(context);
            this.average = average;
            this.variation = variation;
            this.delayNanos = delayNanos;
        }

        @Override
        public void onChunk(Chunk chunk) {
            List<Integer> pieces = cuts(chunk.size(), average, variation, context.random());
            for (int i = 0; i < pieces.size() - 1; i++) {
                paced.send(chunk.split(pieces.get(i)), i == 0 ? 0 : delayNanos);
            }
            paced.send(chunk, pieces.size() == 1 ? 0 : delayNanos);
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
