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
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.ColumnTransformer;

/** compliance-service's own copy of an enrolled device, built from device-registry's events. */
@Entity
@Table(name = "managed_device")
public class ManagedDevice {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "managed_device_id")
    @SequenceGenerator(name = "managed_device_id", sequenceName = "managed_device_id_seq", allocationSize = 50) // V20
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "device_id", nullable = false, updatable = false)
    private String deviceId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Enumerated(EnumType.STRING)
    @Column(name = "platform", nullable = false)
    private Platform platform;

    @Column(name = "os_version", nullable = false)
    private String osVersion;

    @Column(name = "encrypted")
    private Boolean encrypted;

    @Column(name = "passcode_set")
    private Boolean passcodeSet;

    @Column(name = "jailbroken", nullable = false)
    private boolean jailbroken;

    /** The appIds installed at the last check-in, as a json array. */
    @Column(name = "installed_apps", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String installedApps = "[]";

    /** The configuration profiles reported at the last check-in, as [{profileId, version, state, reason}]. */
    @Column(name = "configuration_profiles", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String configurationProfiles = "[]";

    @Column(name = "retired", nullable = false)
    private boolean retired;

    @Column(name = "enrolled_at")
    private Instant enrolledAt;

    @Column(name = "last_reported_at")
    private Instant lastReportedAt;

    @Column(name = "retired_at")
    private Instant retiredAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ManagedDevice() {}

    ManagedDevice(String tenantId, String deviceId, String userId, Platform platform, String osVersion, Instant now) {
        this.tenantId = tenantId;
        this.deviceId = deviceId;
        this.userId = userId;
        this.platform = platform;
        this.osVersion = osVersion;
        this.updatedAt = now;
    }

    void enrolled(String newUserId, Platform newPlatform, String newOsVersion, Instant at, Instant now) {
        userId = newUserId;
        platform = newPlatform;
        osVersion = newOsVersion;
        enrolledAt = at;
        // enrolling a retired device again brings it back under management
        retired = false;
        retiredAt = null;
        updatedAt = now;
    }

    /** Takes a check-in's facts; false when the report is older than one already applied (it arrived late). */
    boolean reported(
            String newUserId,
            Platform newPlatform,
            String newOsVersion,
            CheckInFacts facts,
            String installedAppsJson,
            String configurationProfilesJson,
            Instant at,
            Instant now) {
        if (lastReportedAt != null && at.isBefore(lastReportedAt)) {
            return false;
        }
        configurationProfiles = configurationProfilesJson;
        encrypted = facts.encrypted().orElse(null);
        passcodeSet = facts.passcodeSet().orElse(null);
        jailbroken = facts.jailbroken();
        installedApps = installedAppsJson;
        userId = newUserId;
        platform = newPlatform;
        osVersion = newOsVersion;
        lastReportedAt = at;
        updatedAt = now;
        return true;
    }

    void retire(Instant at, Instant now) {
        retired = true;
        retiredAt = at;
        updatedAt = now;
    }

    public String tenantId() {
        return tenantId;
    }

    public String deviceId() {
        return deviceId;
    }

    public String userId() {
        return userId;
    }

    public Platform platform() {
        return platform;
    }

    public String osVersion() {
        return osVersion;
    }

    /** What the last check-in said about the device's security; all empty / false before its first check-in. */
    public CheckInFacts facts() {
        return new CheckInFacts(Optional.ofNullable(encrypted), Optional.ofNullable(passcodeSet), jailbroken);
    }

    public String configurationProfilesJson() {
        return configurationProfiles;
    }

    public String installedAppsJson() {
        return installedApps;
    }

    /** The security facts of a managed check-in. */
    public record CheckInFacts(Optional<Boolean> encrypted, Optional<Boolean> passcodeSet, boolean jailbroken) {}

    public boolean isRetired() {
        return retired;
    }

    public Optional<Instant> lastReportedAt() {
        return Optional.ofNullable(lastReportedAt);
    }
}
