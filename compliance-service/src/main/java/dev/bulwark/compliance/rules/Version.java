package dev.bulwark.compliance.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotted version (OS or app) compared numerically segment by segment, so that {@code 10.0.19045} is above
 * {@code 10.0.9999} and {@code 14} equals {@code 14.0.0}. Only the leading digits of a segment count ({@code 17.2-beta}
 * reads as 17.2), because devices report vendor suffixes that say nothing about the level.
 */
public record Version(List<Integer> segments) implements Comparable<Version> {

    private static final Pattern LEADING_DIGITS = Pattern.compile("^(\\d{1,9})");

    public Version {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a version has at least one segment");
        }
        segments = List.copyOf(segments);
    }

    /** Reads {@code text}; empty when it does not start with a number in every dotted segment. */
    public static Optional<Version> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("v") || trimmed.startsWith("V")) {
            trimmed = trimmed.substring(1);
        }
        List<Integer> segments = new ArrayList<>();
        for (String segment : trimmed.split("\\.", -1)) {
            Matcher digits = LEADING_DIGITS.matcher(segment);
            if (!digits.find()) {
                return Optional.empty();
            }
            segments.add(Integer.parseInt(digits.group(1)));
            if (digits.end() < segment.length()) {
                break; // a suffix such as "-beta" or " (22H2)" ends the comparable part
            }
        }
        return Optional.of(new Version(segments));
    }

    /** Reads a version that configuration or a policy supplied; a bad one is a configuration error. */
    public static Version of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a dotted numeric version: " + text));
    }

    public boolean isBelow(Version other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Version other) {
        int length = Math.max(segments.size(), other.segments.size());
        for (int i = 0; i < length; i++) {
            int mine = i < segments.size() ? segments.get(i) : 0;
            int theirs = i < other.segments.size() ? other.segments.get(i) : 0;
            if (mine != theirs) {
                return Integer.compare(mine, theirs);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return String.join(".", segments.stream().map(String::valueOf).toList());
    }
}
