package dev.bulwark.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operating system or app version as every service reads it: the one grammar a device, a protected app, the
 * catalogue and a policy all use, and the one order in which compliance compares them. The grammar and the order are
 * written out in {@code rules/README.md}; in short:
 *
 * <pre>
 * version     = [ "v" | "V" ] number *3( "." number ) [ "-" identifiers ] [ "+" identifiers ]
 * number      = 1*DIGIT
 * identifiers = identifier *( "." identifier )
 * identifier  = 1*( ALPHA | DIGIT | "-" )
 * </pre>
 *
 * at most {@value #MAX_LENGTH} characters, no whitespace. Numbers compare numerically whatever their length (leading
 * zeros and missing groups count as 0); a pre-release ({@code -beta}) sorts before its release; build metadata
 * ({@code +build7}) does not count. Equality agrees with the order.
 */
public final class Version implements Comparable<Version> {

    /** The longest version text, {@code Limits.SHORT} in the services. */
    public static final int MAX_LENGTH = 64;

    /** The most number groups: {@code 10.0.19045.4291} is the longest a device reports. */
    public static final int MAX_GROUPS = 4;

    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*";

    /**
     * The grammar as a regular expression, for Bean Validation's {@code @Pattern} beside {@code @Size(max =
     * MAX_LENGTH)}; it matches exactly the texts {@link #parse} accepts (VersionTest checks both on one table).
     */
    public static final String PATTERN =
            "[vV]?[0-9]+(\\.[0-9]+){0," + (MAX_GROUPS - 1) + "}(-" + IDENTIFIERS + ")?(\\+" + IDENTIFIERS + ")?";

    /** The message of a refused version, for {@code @Pattern}. */
    public static final String MESSAGE = "must be a version: 1 to " + MAX_GROUPS
            + " dotted numbers, optionally after a v and before a -pre-release or +build suffix, such as 17.5,"
            + " 10.0.19045.4291 or 5.2.1-beta";

    private final String text;
    /** The number groups without leading zeros ("0" for zero) and without trailing zero groups. */
    private final List<String> numbers;
    /** The pre-release identifiers, numeric ones without leading zeros; empty for a release. */
    private final List<String> preRelease;

    private Version(String text, List<String> numbers, List<String> preRelease) {
        this.text = text;
        this.numbers = List.copyOf(numbers);
        this.preRelease = List.copyOf(preRelease);
    }

    /**
     * Reads {@code text}.
     *
     * @throws VersionFormatException naming the rule the text breaks, in words fit for a field error
     */
    public static Version parse(String text) {
        if (text == null) {
            throw new VersionFormatException("is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw new VersionFormatException("must be at most " + MAX_LENGTH + " characters, was " + text.length());
        }
        if (text.isEmpty()) {
            throw new VersionFormatException("must not be empty; " + MESSAGE);
        }
        if (text.chars().anyMatch(Character::isWhitespace)) {
            throw refused("must not contain whitespace", text);
        }
        String rest = text.charAt(0) == 'v' || text.charAt(0) == 'V' ? text.substring(1) : text;
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            identifiers(rest.substring(plus + 1), "build metadata after '+'", text);
            rest = rest.substring(0, plus);
        }
        List<String> preRelease = List.of();
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            preRelease = identifiers(rest.substring(dash + 1), "pre-release after '-'", text).stream()
                    .map(id -> isNumber(id) ? withoutLeadingZeros(id) : id)
                    .toList();
            rest = rest.substring(0, dash);
        }
        String[] groups = rest.split("\\.", -1);
        if (groups.length > MAX_GROUPS) {
            throw refused(
                    "has " + groups.length + " number groups, at most " + MAX_GROUPS + " (no device reports more)",
                    text);
        }
        List<String> numbers = new ArrayList<>(groups.length);
        for (String group : groups) {
            if (group.isEmpty()) {
                throw refused("must be dotted numbers with no empty group", text);
            }
            if (!isNumber(group)) {
                throw refused("must start with dotted numbers (digits only) such as 17.5", text);
            }
            numbers.add(withoutLeadingZeros(group));
        }
        while (!numbers.isEmpty() && numbers.get(numbers.size() - 1).equals("0")) {
            numbers.remove(numbers.size() - 1);
        }
        return new Version(text, numbers, preRelease);
    }

    /** The version, or empty when {@code text} is not one (a device's report that cannot be read, for instance). */
    public static Optional<Version> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (VersionFormatException e) {
            return Optional.empty();
        }
    }

    /** Compares two version texts that must both be valid. */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    public boolean isBelow(Version other) {
        return compareTo(other) < 0;
    }

    public boolean isAbove(Version other) {
        return compareTo(other) > 0;
    }

    /** Whether this is a pre-release ({@code 5.2.1-beta}), which sorts before its release. */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    @Override
    public int compareTo(Version other) {
        int length = Math.max(numbers.size(), other.numbers.size());
        for (int i = 0; i < length; i++) {
            int cmp = compareNumbers(number(numbers, i), number(other.numbers, i));
            if (cmp != 0) {
                return cmp;
            }
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            // a release is above any of its pre-releases
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            int cmp = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && numbers.equals(v.numbers) && preRelease.equals(v.preRelease);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numbers, preRelease);
    }

    /** The text as it was written (with its {@code v}, leading zeros and suffixes). */
    @Override
    public String toString() {
        return text;
    }

    private static List<String> identifiers(String part, String what, String text) {
        String[] ids = part.split("\\.", -1);
        for (String id : ids) {
            if (id.isEmpty()) {
                throw refused("has an empty identifier in its " + what, text);
            }
            if (!id.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                throw refused("may have only letters, digits, '-' and '.' in its " + what, text);
            }
        }
        return List.of(ids);
    }

    private static VersionFormatException refused(String rule, String text) {
        return new VersionFormatException(rule + ", was '" + text + "'");
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static String number(List<String> numbers, int i) {
        return i < numbers.size() ? numbers.get(i) : "0";
    }

    /** Compares digit strings without leading zeros by value, however long: the longer is larger. */
    private static int compareNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** Numeric identifiers by value and below alphanumeric ones; alphanumeric ones in ASCII order. */
    private static int compareIdentifiers(String a, String b) {
        boolean aNumber = isNumber(a);
        boolean bNumber = isNumber(b);
        if (aNumber && bNumber) {
            return compareNumbers(a, b);
        }
        if (aNumber != bNumber) {
            return aNumber ? -1 : 1;
        }
        return a.compareTo(b);
    }
}
