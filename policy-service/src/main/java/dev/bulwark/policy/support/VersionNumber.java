package dev.bulwark.policy.support;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A dotted numeric OS or app version ("17", "14.2.1"), compared part by part with missing parts as zero, so "14" equals
 * "14.0" and "14.10" is above "14.9".
 */
public record VersionNumber(int[] parts) implements Comparable<VersionNumber> {

    private static final Pattern FORMAT = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,5}");

    /** The version, or empty when the text is not dotted numbers. */
    public static Optional<VersionNumber> parse(String text) {
        if (text == null || !FORMAT.matcher(text.trim()).matches()) {
            return Optional.empty();
        }
        return Optional.of(new VersionNumber(Arrays.stream(text.trim().split("\\."))
                .mapToInt(Integer::parseInt)
                .toArray()));
    }

    /** Compares two valid version texts. */
    public static int compare(String a, String b) {
        return parse(a).orElseThrow().compareTo(parse(b).orElseThrow());
    }

    @Override
    public int compareTo(VersionNumber other) {
        int length = Math.max(parts.length, other.parts.length);
        for (int i = 0; i < length; i++) {
            int mine = i < parts.length ? parts[i] : 0;
            int theirs = i < other.parts.length ? other.parts[i] : 0;
            if (mine != theirs) {
                return Integer.compare(mine, theirs);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionNumber v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int length = parts.length;
        while (length > 0 && parts[length - 1] == 0) {
            length--;
        }
        return Arrays.hashCode(Arrays.copyOf(parts, length));
    }

    @Override
    public String toString() {
        return String.join(".", Arrays.stream(parts).mapToObj(Integer::toString).toList());
    }
}
