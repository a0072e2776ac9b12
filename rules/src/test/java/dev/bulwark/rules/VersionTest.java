package dev.bulwark.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    static final List<String> ACCEPTED = List.of(
            "17",
            "17.5",
            "10.0.19045",
            "10.0.19045.4291",
            "0",
            "007.01",
            "v14.1",
            "V14",
            "5.2.1-beta",
            "2.0.0+build7",
            "1.0.0-rc.1+sha.5114f85",
            "1.0-x-y-z.--",
            "123.0.6312.99",
            "99999999999999999999999999999999.1",
            "1.2.3-" + "a".repeat(58));

    static final List<String> REFUSED = List.of(
            "",
            " ",
            " 14.1",
            "14.1 ",
            "14 .1",
            "1.2.3.4.5",
            "10.0.19045.1.2",
            "17.",
            ".17",
            "17..5",
            "v",
            "vv1",
            "x1.0",
            "latest",
            "14.x",
            "1.0-",
            "1.0+",
            "1.0-beta..1",
            "1.0-béta",
            "1.0_r1",
            "10.0.19045.4291 (22H2)",
            "-1",
            "1.2.3-" + "a".repeat(59));

    @ParameterizedTest
    @MethodSource("accepted")
    void aVersionOfTheGrammarIsReadAndMatchesThePattern(String text) {
        assertThat(Version.parse(text)).hasToString(text);
        assertThat(Pattern.matches(Version.PATTERN, text)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aTextOutsideTheGrammarIsRefusedByParseAndByThePattern(String text) {
        assertThatThrownBy(() -> Version.parse(text)).isInstanceOf(VersionFormatException.class);
        assertThat(Version.tryParse(text)).isEmpty();
        assertThat(text.length() <= Version.MAX_LENGTH && Pattern.matches(Version.PATTERN, text))
                .isFalse();
    }

    static Stream<String> accepted() {
        return ACCEPTED.stream();
    }

    static Stream<String> refused() {
        return REFUSED.stream();
    }

    @ParameterizedTest
    @MethodSource("ascending")
    void versionsCompareNumericallyGroupByGroupWithPreReleasesBeforeTheirRelease(String lower, String higher) {
        Version low = Version.parse(lower);
        Version high = Version.parse(higher);
        assertThat(low).isLessThan(high);
        assertThat(high).isGreaterThan(low);
        assertThat(low.isBelow(high)).isTrue();
        assertThat(high.isAbove(low)).isTrue();
        assertThat(low).isNotEqualTo(high);
    }

    static Stream<Arguments> ascending() {
        return Stream.of(
                Arguments.of("9", "10"),
                Arguments.of("10.0.9999", "10.0.19045"),
                Arguments.of("17.9", "17.10"),
                Arguments.of("13.9.9", "14"),
                Arguments.of("14", "14.0.1"),
                Arguments.of("10.0.19045", "10.0.19045.1"),
                Arguments.of("9223372036854775807", "9223372036854775808"),
                Arguments.of("99999999999999999999", "100000000000000000000"),
                Arguments.of("5.2.1-beta", "5.2.1"),
                Arguments.of("5.2.1-beta", "5.2.1+build7"),
                Arguments.of("5.2.0", "5.2.1-alpha"),
                Arguments.of("1.0.0-alpha", "1.0.0-alpha.1"),
                Arguments.of("1.0.0-alpha.1", "1.0.0-alpha.beta"),
                Arguments.of("1.0.0-alpha.beta", "1.0.0-beta"),
                Arguments.of("1.0.0-beta.2", "1.0.0-beta.11"),
                Arguments.of("1.0.0-beta.11", "1.0.0-rc.1"),
                Arguments.of("1.0.0-RC", "1.0.0-rc"),
                Arguments.of("1-rc.1", "1.0.0"));
    }

    @ParameterizedTest
    @MethodSource("equal")
    void missingGroupsLeadingZerosThePrefixAndBuildMetadataDoNotCount(String a, String b) {
        assertThat(Version.parse(a)).isEqualByComparingTo(Version.parse(b));
        assertThat(Version.parse(a)).isEqualTo(Version.parse(b));
        assertThat(Version.parse(a)).hasSameHashCodeAs(Version.parse(b));
        assertThat(Version.compare(a, b)).isZero();
    }

    static Stream<Arguments> equal() {
        return Stream.of(
                Arguments.of("14", "14.0.0"),
                Arguments.of("14.0", "14.0.0.0"),
                Arguments.of("1.01", "1.1"),
                Arguments.of("007", "7"),
                Arguments.of("0", "0.0"),
                Arguments.of("v14.1", "14.1"),
                Arguments.of("2.0.0+build7", "2.0.0"),
                Arguments.of("2.0.0+build7", "2+build8"),
                Arguments.of("1.0-beta.01", "1-beta.1"),
                Arguments.of("00000000000000000000000000001", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.5", "10.0.19045.1.2"})
    void aFifthGroupIsRefusedSayingHowManyAreAllowed(String text) {
        assertThatThrownBy(() -> Version.parse(text))
                .hasMessage("has 5 number groups, at most 4 (no device reports more), was '" + text + "'");
    }

    @ParameterizedTest
    @MethodSource("messages")
    void eachRefusalNamesTheRuleItBreaks(String text, String message) {
        assertThatThrownBy(() -> Version.parse(text)).hasMessage(message);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(null, "is required"),
                Arguments.of("", "must not be empty; " + Version.MESSAGE),
                Arguments.of(" 14", "must not contain whitespace, was ' 14'"),
                Arguments.of("17..5", "must be dotted numbers with no empty group, was '17..5'"),
                Arguments.of("latest", "must start with dotted numbers (digits only) such as 17.5, was 'latest'"),
                Arguments.of("1.0-", "has an empty identifier in its pre-release after '-', was '1.0-'"),
                Arguments.of(
                        "1.0+a_b",
                        "may have only letters, digits, '-' and '.' in its build metadata after '+', was"
                                + " '1.0+a_b'"),
                Arguments.of("1".repeat(65), "must be at most 64 characters, was 65"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.2.1-beta", "1.0.0-rc.1+sha.5114f85"})
    void aSuffixAfterADashIsAPreRelease(String text) {
        assertThat(Version.parse(text).isPreRelease()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.2.1", "2.0.0+build7", "v3"})
    void aVersionWithoutADashSuffixIsARelease(String text) {
        assertThat(Version.parse(text).isPreRelease()).isFalse();
    }
}
