package dev.bulwark.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.rules.Version;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinimumVersionRuleTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "14     | 13.9       | the OS version 13.9 is below the minimum 14",
                "5.0    | 5.0-beta   | the OS version 5.0-beta is below the minimum 5.0",
                "10.0.19045 | 10.0.9999 | the OS version 10.0.9999 is below the minimum 10.0.19045",
                "14     | fourteen   | the OS version 'fourteen' cannot be checked against the minimum 14",
            })
    void aVersionBelowTheMinimumOrUnreadableIsAViolationExpectingAtLeastTheMinimum(
            String minimum, String reported, String summary) {
        assertThat(MinimumVersionRule.check("minimumOsVersion", "the OS version", reported, Version.parse(minimum)))
                .contains(new Violation("minimumOsVersion", ">= " + minimum, reported, summary));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"14 | 14", "14 | 14.0.0", "14 | 14.0.1", "5.0 | 5.0+build7", "5.0-beta | 5.0"})
    void aVersionAtOrAboveTheMinimumIsNoViolation(String minimum, String reported) {
        assertThat(MinimumVersionRule.check("minimumAppVersion", "the app version", reported, Version.parse(minimum)))
                .isEqualTo(Optional.empty());
    }

    @org.junit.jupiter.api.Test
    void aMissingVersionCannotProveTheMinimum() {
        assertThat(MinimumVersionRule.check("minimumAppVersion", "the app version", null, Version.parse("5")))
                .map(Violation::actual)
                .contains("null");
    }
}
