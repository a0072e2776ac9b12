package dev.bulwark.compliance.policy;

import java.util.Set;

/** What targeting needs to know about a subject's user (and device): their groups and whether they hold the licence. */
public record SubjectFacts(Set<String> userGroups, Set<String> deviceGroups, boolean licensed) {

    public SubjectFacts {
        userGroups = Set.copyOf(userGroups);
        deviceGroups = Set.copyOf(deviceGroups);
    }
}
