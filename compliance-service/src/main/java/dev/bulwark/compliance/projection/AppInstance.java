package dev.bulwark.compliance.projection;

import dev.bulwark.events.Platform;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * compliance-service's own copy of a protected app registered on an unmanaged device (MAM): one user's account in one
 * app on one installation, known only by the user's identity.
 */
@Entity
@Table(name = "app_instance")
public class AppInstance {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app_instance_id")
    @SequenceGenerator(name = "app_instance_id", sequenceName = "app_instance_id_seq", allocationSize = 50) // V20
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "registration_id", nullable = false, updatable = false)
    private String registrationId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "app_id", nullable = false)
    private String appId;

    @Enumerated(EnumType.STRING)
    @Column(name = "platform", nullable = false)
    private Platform platform;

    @Column(name = "os_version", nullable = false)
    private String osVersion;

    @Column(name = "app_version")
    private String appVersion;

    @Column(name = "pin_set")
    private Boolean pinSet;

    @Column(name = "jailbroken", nullable = false)
    private boolean jailbroken;

    @Column(name = "registered_at")
    private Instant registeredAt;

    @Column(name = "last_reported_at")
    private Instant lastReportedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Last check-in + the applying policies' offline period before an access check; null = none applies. */
    @Column(name = "offline_access_check_at")
    private Instant offlineAccessCheckAt;

    /** Last check-in + the applying policies' offline period before a wipe; null = none applies. */
    @Column(name = "offline_wipe_at")
    private Instant offlineWipeAt;

    /** When this offline episode's wipe was signed out; a later check-in starts a new episode (null). */
    @Column(name = "offline_wiped_at")
    private Instant offlineWipedAt;

    /**
     * The hour of {@code offlineWipeAt} (rounded down) while the episode's wipe is still to come, else null: the only
     * offline column with an index (V23). Every check-in moves {@code offlineWipeAt}; this moves at most once an hour, so
     * PostgreSQL updates the row in place (a HOT update) instead of writing a new index entry per check-in.
     */
    @Column(name = "offline_due_hour")
    private Instant offlineDueHour;

    protected AppInstance() {}

    AppInstance(String tenantId, String registrationId, String userId, String appId, Platform platform, Instant now) {
        this.tenantId = tenantId;
        this.registrationId = registrationId;
        this.userId = userId;
        this.appId = appId;
        this.platform = platform;
        this.osVersion = "";
        this.updatedAt = now;
    }

    void registered(
            String newUserId,
            String newAppId,
            Platform newPlatform,
            String newOsVersion,
            String newAppVersion,
            Instant at,
            Instant now) {
        userId = newUserId;
        appId = newAppId;
        platform = newPlatform;
        osVersion = newOsVersion;
        appVersion = newAppVersion;
        registeredAt = at;
        updatedAt = now;
    }

    /** Takes a check-in's facts; false when the report is older than one already applied (it arrived late). */
    boolean reported(
            String newUserId,
            Platform newPlatform,
            String newOsVersion,
            Optional<String> newAppVersion,
            Optional<Boolean> newPinSet,
            boolean newJailbroken,
            Instant at,
            Instant now) {
        if (lastReportedAt != null && at.isBefore(lastReportedAt)) {
            return false;
        }
        pinSet = newPinSet.orElse(null);
        jailbroken = newJailbroken;
        userId = newUserId;
        platform = newPlatform;
        osVersion = newOsVersion;
        newAppVersion.ifPresent(version -> appVersion = version);
        lastReportedAt = at;
        updatedAt = now;
        // a check-in ends the offline episode
        offlineWipedAt = null;
        offlineDueHour = dueHour();
        return true;
    }

    /**
     * Sets the offline periods of the policies that apply now, measured from the last check-in. Unchanged values
     * write nothing (the entity is only dirty when they move).
     */
    public void offlinePeriods(Optional<Duration> beforeAccessCheck, Optional<Duration> beforeWipe) {
        Instant accessCheckAt = lastReportedAt == null
                ? null
                : beforeAccessCheck.map(lastReportedAt::plus).orElse(null);
        Instant wipeAt = lastReportedAt == null
                ? null
                : beforeWipe.map(lastReportedAt::plus).orElse(null);
        if (!Objects.equals(accessCheckAt, offlineAccessCheckAt)) {
            offlineAccessCheckAt = accessCheckAt;
        }
        if (!Objects.equals(wipeAt, offlineWipeAt)) {
            offlineWipeAt = wipeAt;
        }
        offlineDueHour = dueHour();
    }

    /** The offline episode's wipe was signed out; it is not signed out again until a new check-in. */
    public void offlineWiped(Instant now) {
        offlineWipedAt = now;
        offlineDueHour = dueHour();
        updatedAt = now;
    }

    private Instant dueHour() {
        return offlineWipedAt == null && offlineWipeAt != null ? offlineWipeAt.truncatedTo(ChronoUnit.HOURS) : null;
    }

    /** When access needs a fresh check-in (last check-in + the offline period before an access check). */
    public Optional<Instant> offlineAccessCheckAt() {
        return Optional.ofNullable(offlineAccessCheckAt);
    }

    public Optional<Instant> offlineWipeAt() {
        return Optional.ofNullable(offlineWipeAt);
    }

    public String tenantId() {
        return tenantId;
    }

    public Platform platform() {
        return platform;
    }

    public String osVersion() {
        return osVersion;
    }

    /** Empty when the last check-in did not say. */
    public Optional<Boolean> pinSet() {
        return Optional.ofNullable(pinSet);
    }

    public boolean jailbroken() {
        return jailbroken;
    }

    /** Empty until its first check-in: an app instance that never reported has nothing to evaluate. */
    public Optional<Instant> lastReportedAt() {
        return Optional.ofNullable(lastReportedAt);
    }

    public String registrationId() {
        return registrationId;
    }

    public String userId() {
        return userId;
    }

    public String appId() {
        return appId;
    }

    public Optional<String> appVersion() {
        return Optional.ofNullable(appVersion);
    }
}
