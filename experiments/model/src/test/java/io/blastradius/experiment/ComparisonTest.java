package io.blastradius.experiment;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonTest {

    @Test
    void boundsHoldOrNotAndDescribeThemselves() {
        assertThat(Comparison.parse(">= 99.9%").holds(99.95)).isTrue();
        assertThat(Comparison.parse(">= 99.9%").holds(99.8)).isFalse();
        assertThat(Comparison.parse("<= 1s").value()).isEqualTo(1_000);
        assertThat(Comparison.parse("< 150ms").holds(150)).isFalse();
        assertThat(Comparison.parse("<=1.2x").describe()).isEqualTo("≤ 1.2×");
        assertThat(Comparison.parse(">= 99.9%").describe()).isEqualTo("≥ 99.9%");
        assertThat(Comparison.parse("<= 150ms").describe()).isEqualTo("≤ 150 ms");
    }

    @Test
    void quantitiesParseTheirUnits() {
        assertThat(Quantities.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Quantities.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Quantities.rate("30/m")).isEqualTo(0.5);
        assertThatThrownBy(() -> Quantities.duration("2 s")).hasMessage("must be a duration like 500ms, 2s or 1m, but was '2 s'");
        assertThatThrownBy(() -> Comparison.parse("~ 3")).hasMessageContaining("but was '~ 3'");
    }
}
