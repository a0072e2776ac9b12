package dev.bulwark.compliance.policy;

import java.util.Set;

/**
 * What targeting and the rules need to know about a subject's user (and device): their groups, whether they hold the
 * licence, and whether their account is disabled in the directory (the unmanaged "disabled account" rule).
 */
public record SubjectFacts(
        Set<String> userGroups, Set<String> deviceGroups, boolean licensed, boolean accountDisabled) {

    public SubjectFacts {
        userGroups = Set.copyOf(userGroups);
        deviceGroups = Set.copyOf(deviceGroups);
    }

    /** Facts of a subject whose account state does not matter (the managed path). */
    public SubjectFacts(Set<String> userGroups, Set<String> deviceGroups, boolean licensed) {
        this(userGroups, deviceGroups, licensed, false);
    }
}
