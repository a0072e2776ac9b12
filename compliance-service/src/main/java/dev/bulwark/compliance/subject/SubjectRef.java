package dev.bulwark.compliance.subject;

import dev.bulwark.events.ManagementType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a subject: its tenant, its id (deviceId on the managed path, registrationId on the unmanaged one), its path,
 * the user whose account is signed out when it fails, and, for an unmanaged app instance, its app.
 */
public record SubjectRef(
        String tenantId, String subjectId, ManagementType managementType, String userId, Optional<String> appId) {

    public SubjectRef {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(managementType, "managementType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(appId, "appId");
    }

    /** A managed device, with its primary user. */
    public static SubjectRef managedDevice(String tenantId, String deviceId, String userId) {
        return new SubjectRef(tenantId, deviceId, ManagementType.MANAGED, userId, Optional.empty());
    }

    /** An unmanaged app instance: one user's account in one app on one installation. */
    public static SubjectRef appInstance(String tenantId, String registrationId, String userId, String appId) {
        return new SubjectRef(tenantId, registrationId, ManagementType.UNMANAGED, userId, Optional.of(appId));
    }

    /**
     * The apps a sign-out names: an app instance signs out of its own app only; a managed device of every protected
     * app on it (the empty list).
     */
    public List<String> signOutAppIds() {
        return appId.map(List::of).orElse(List.of());
    }
}
