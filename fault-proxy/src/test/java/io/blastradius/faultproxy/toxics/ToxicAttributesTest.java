package io.blastradius.faultproxy.toxics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToxicAttributesTest {

    @Test
    void aRecordsComponentsAreTheAttributesOnTheWireInOrder() {
        assertThat(ToxicAttributes.names(SlicerToxic.Attributes.class)).containsExactly("average_size", "size_variation", "delay");
        assertThat(ToxicAttributes.names(NoopToxic.Attributes.class)).isEmpty();
    }

    @Test
    void valuesNotGivenAreZeroAndARecordGivesItsValuesBack() {
        SlicerToxic.Attributes slicer = ToxicAttributes.of(SlicerToxic.Attributes.class, Map.of("average_size", 10L, "delay", 5L));
        assertThat(slicer).isEqualTo(new SlicerToxic.Attributes(10, 0, 5));
        assertThat(ToxicAttributes.values(slicer)).containsExactly(Map.entry("average_size", 10L), Map.entry("size_variation", 0L),
                Map.entry("delay", 5L));
    }

    @Test
    void everyKindsAttributesAreARecordOfLongs() {
        for (String type : new String[] {"latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data", "noop"}) {
            ToxicKind<?> kind = ToxicKinds.byType(type).orElseThrow();
            Record zero = ToxicAttributes.of(kind.attributes(), Map.of());
            assertThat(ToxicAttributes.values(zero).values()).as(type).allMatch(v -> Long.valueOf(0).equals(v) || "".equals(v));
        }
    }
}
