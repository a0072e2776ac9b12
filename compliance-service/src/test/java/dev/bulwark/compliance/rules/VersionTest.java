package dev.bulwark.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void segmentsCompareAsNumbersNotAsText() {
        assertThat(Version.of("10.0.19045")).isGreaterThan(Version.of("10.0.9999"));
        assertThat(Version.of("17.10")).isGreaterThan(Version.of("17.9"));
        assertThat(Version.of("9")).isLessThan(Version.of("10"));
    }

    @Test
    void missingSegmentsCountAsZero() {
        assertThat(Version.of("14")).isEqualByComparingTo(Version.of("14.0.0"));
        assertThat(Version.of("14.0.1")).isGreaterThan(Version.of("14"));
        assertThat(Version.of("13.9.9")).isLessThan(Version.of("14"));
    }

    @Test
    void aVendorSuffixEndsTheComparablePart() {
        assertThat(Version.parse("17.2-beta")).contains(Version.of("17.2"));
        assertThat(Version.parse("10.0.19045.4291 (22H2)")).contains(Version.of("10.0.19045.4291"));
        assertThat(Version.parse("v14.1")).contains(Version.of("14.1"));
        assertThat(Version.parse(" 14.1 ")).contains(Version.of("14.1"));
    }

    @Test
    void textThatDoesNotStartWithANumberIsNotAVersion() {
        assertThat(Version.parse("")).isEmpty();
        assertThat(Version.parse("   ")).isEmpty();
        assertThat(Version.parse(null)).isEmpty();
        assertThat(Version.parse("Sonoma")).isEmpty();
        assertThat(Version.parse("14..1")).isEmpty();
        assertThat(Version.parse("14.x")).isEmpty();
    }

    @Test
    void aConfiguredVersionMustBeReadable() {
        assertThatThrownBy(() -> Version.of("latest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latest");
    }

    @Test
    void isBelowIsStrict() {
        assertThat(Version.of("14.0").isBelow(Version.of("14"))).isFalse();
        assertThat(Version.of("13.99").isBelow(Version.of("14"))).isTrue();
    }

    @Test
    void printsItsNumericSegments() {
        assertThat(Version.of("10.0.19045-x")).hasToString("10.0.19045");
    }
}
