package dev.bulwark.registry.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DottedVersionTest {

    @Test
    void dottedDigitsAreVersions() {
        assertThat(DottedVersion.isValid("17")).isTrue();
        assertThat(DottedVersion.isValid("17.5")).isTrue();
        assertThat(DottedVersion.isValid("10.0.19045")).isTrue();
        assertThat(DottedVersion.isValid("1.2.3.4")).isTrue();
    }

    @Test
    void wordsEmptyPartsAndTrailingTextAreNot() {
        assertThat(DottedVersion.isValid("seventeen")).isFalse();
        assertThat(DottedVersion.isValid("17.")).isFalse();
        assertThat(DottedVersion.isValid("17..5")).isFalse();
        assertThat(DottedVersion.isValid("17.5-beta")).isFalse();
        assertThat(DottedVersion.isValid("1.2.3.4.5")).isFalse();
        assertThat(DottedVersion.isValid(null)).isFalse();
    }
}
