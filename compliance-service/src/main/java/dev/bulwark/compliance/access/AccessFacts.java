package dev.bulwark.compliance.access;

import dev.bulwark.events.ManagementType;
import java.util.Set;

/**
 * What the conditional-access rules need to know about a subject: which path it is on (a managed device or an app
 * instance), whether it is compliant now (its compliance state allows access), whether an app protection policy
 * protects it (an app instance whose app and platform a policy covers and whose licensed user the policy targets), its
 * user's groups (against which the rules' targets are matched) and whether the user is licensed (an unlicensed user's
 * app is never protected).
 */
public record AccessFacts(
        ManagementType path,
        boolean compliant,
        boolean protectedByAppProtectionPolicy,
        Set<String> userGroups,
        boolean licensed) {

    public AccessFacts {
        userGroups = Set.copyOf(userGroups);
    }

    boolean managedDevice() {
        return path == ManagementType.MANAGED;
    }

    boolean appInstance() {
        return path == ManagementType.UNMANAGED;
    }
}
