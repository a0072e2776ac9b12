package dev.bulwark.compliance.rules;

import dev.bulwark.rules.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where several policies apply to one subject, the most restrictive wins: the subject breaks the combined rule when it
 * breaks any policy's version of it, and the finding kept is the strictest one — a wipe over a block, the higher
 * minimum, the lower maximum. Required apps and failed configuration profiles are findings of their own, one per app or
 * profile.
 */
public final class StrictestViolations {

    private StrictestViolations() {}

    public static List<Violation> merge(List<Violation> found) {
        Map<String, Violation> byRule = new LinkedHashMap<>();
        for (Violation violation : found) {
            String key =
                    violation.rule().startsWith("required") || violation.rule().equals("configurationProfilesApplied")
                            ? violation.rule() + "|" + violation.expected()
                            : violation.rule();
            byRule.merge(key, violation, StrictestViolations::stricter);
        }
        return List.copyOf(new ArrayList<>(byRule.values()));
    }

    private static Violation stricter(Violation a, Violation b) {
        if (a.wipe() != b.wipe()) {
            return a.wipe() ? a : b;
        }
        Optional<Version> first = Version.tryParse(a.expected().replaceAll("^[<>=\\s]+", ""));
        Optional<Version> second = Version.tryParse(b.expected().replaceAll("^[<>=\\s]+", ""));
        if (first.isEmpty() || second.isEmpty()) {
            return a;
        }
        boolean maximum = a.rule().startsWith("maximum");
        int cmp = second.get().compareTo(first.get());
        return (maximum ? cmp < 0 : cmp > 0) ? b : a;
    }
}
