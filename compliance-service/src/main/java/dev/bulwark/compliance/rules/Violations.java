package dev.bulwark.compliance.rules;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Small operations on lists of violations that both the managed and the unmanaged path need. */
public final class Violations {

    /** The rule a disabled account breaks (an app protection policy's conditional launch "disabled account"). */
    public static final String DISABLED_ACCOUNT = "disabledAccount";

    private Violations() {}

    /**
     * Whether the violation's action applies at once, without remediation: nothing the app or device can do fixes a
     * disabled account, so a wipe action signs out now and a block action blocks access now.
     */
    public static boolean actsAtOnce(Violation violation) {
        return DISABLED_ACCOUNT.equals(violation.rule());
    }

    /** The violations that act at once and whose action is to wipe data. */
    public static boolean anyWipesAtOnce(Collection<Violation> violations) {
        return violations.stream().anyMatch(v -> actsAtOnce(v) && v.wipe());
    }

    /** The violations that act at once and whose action is to block access. */
    public static boolean anyBlocksAtOnce(Collection<Violation> violations) {
        return violations.stream().anyMatch(v -> actsAtOnce(v) && !v.wipe());
    }

    /**
     * Whether two verdicts found the same thing: the same rules broken with the same expected and reported values, in
     * any order. The user-facing summaries do not count.
     */
    public static boolean sameFindings(Collection<Violation> first, Collection<Violation> second) {
        return findings(first).equals(findings(second));
    }

    private static Set<List<String>> findings(Collection<Violation> violations) {
        return violations.stream()
                .map(violation -> List.of(violation.rule(), violation.expected(), violation.actual()))
                .collect(Collectors.toSet());
    }

    /** The summaries joined into one phrase for a message, e.g. "OS version 13 is below 14, it is jailbroken". */
    public static String summaries(List<Violation> violations) {
        return violations.stream().map(Violation::summary).collect(Collectors.joining(", "));
    }
}
