package dev.bulwark.registry.managed;

import dev.bulwark.rules.OsPlatform;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An enrolled (MDM) device of a tenant with its primary user and the last state it reported. The device id is a
 * random UUID, so it is unique across tenants; every query still filters on the tenant.
 */
@Entity
@Table(name = "managed_device")
public class ManagedDevice {

    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "user_id")
    public String userId;

    @Enumerated(EnumType.STRING)
    public OsPlatform platform;

    @Column(name = "os_version")
    public String osVersion;

    public String model;

    @Column(name = "hardware_id")
    public String hardwareId;

    @Enumerated(EnumType.STRING)
    public DeviceOwnership ownership;

    @Enumerated(EnumType.STRING)
    public DeviceStatus status;

    @Column(name = "enrolled_at")
    public Instant enrolledAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "last_contact_at")
    public Instant lastContactAt;

    /** When the state below was observed on the device; null until the first report. */
    @Column(name = "state_reported_at")
    public Instant stateReportedAt;

    public Boolean encrypted;

    @Column(name = "passcode_set")
    public Boolean passcodeSet;

    public Boolean jailbroken;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "installed_apps")
    public List<InstalledAppEntry> installedApps;

    public boolean isRetired() {
        return status == DeviceStatus.RETIRED;
    }
}
