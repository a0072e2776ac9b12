package dev.bulwark.registry.unmanaged;

import dev.bulwark.rules.OsPlatform;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A protected app registered by a user's identity (MAM): the subject of app protection policies, known only by user +
 * app + installation. When it runs on an enrolled device, {@code deviceId} names it and it is MANAGED.
 */
@Entity
@Table(name = "app_instance")
public class AppInstance {

    @Id
    @Column(name = "registration_id")
    public String registrationId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "app_id")
    public String appId;

    @Column(name = "installation_id")
    public String installationId;

    @Enumerated(EnumType.STRING)
    public OsPlatform platform;

    @Column(name = "os_version")
    public String osVersion;

    @Column(name = "app_version")
    public String appVersion;

    @Column(name = "device_id")
    public String deviceId;

    @Enumerated(EnumType.STRING)
    @Column(name = "management_type")
    public InstanceManagement managementType;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "last_contact_at")
    public Instant lastContactAt;

    @Column(name = "state_reported_at")
    public Instant stateReportedAt;

    @Column(name = "pin_set")
    public Boolean pinSet;

    public Boolean jailbroken;

    /** The generation its credentials are issued in; a successful selective wipe moves it on (V4). */
    @Column(name = "credential_generation")
    public long credentialGeneration;
}
