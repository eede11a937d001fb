package io.blastradius.faultproxy.toxics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SlicerCutsTest {

    @Test
    void piecesAddUpAndStayWithinAverageSizePlusVariation() {
        List<Integer> pieces = SlicerToxic.cuts(1_000, 100, 20, new SplittableRandom(7));

        assertThat(pieces.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000);
        assertThat(pieces).allSatisfy(p -> assertThat(p).isBetween(1, 120));
    }

    @Test
    void theSameSeedCutsTheSameWay() {
        assertThat(SlicerToxic.cuts(5_000, 64, 16, new SplittableRandom(99)))
                .isEqualTo(SlicerToxic.cuts(5_000, 64, 16, new SplittableRandom(99)))
                .isNotEqualTo(SlicerToxic.cuts(5_000, 64, 16, new SplittableRandom(100)));
    }
}
