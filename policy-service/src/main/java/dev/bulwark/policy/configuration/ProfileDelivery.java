package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.ProfileDeliveryReason;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.policy.devices.ManagedDevice;
import dev.bulwark.policy.devices.ManagedDevices;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.targeting.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps each managed device's configuration profiles in step with what it should hold. On every trigger (enrollment,
 * group membership, a profile created, changed or deleted, a re-push asked by compliance-service) it recomputes the
 * desired set of the devices concerned from this service's own projections and diffs it with the delivery rows: newly
 * subject → apply (ASSIGNED), changed version or merged settings → apply (NEW_VERSION), no longer subject, deleted or
 * now in conflict → remove. The rows and the commands are written in the trigger's own transaction (outbox); many
 * devices are handled in chunks whose memberships are read with one query each and whose persistence context is
 * flushed and cleared after each chunk — never a transaction per device.
 */
@ApplicationScoped
public class ProfileDelivery {

    private static final Logger LOG = Logger.getLogger(ProfileDelivery.class);

    private final ManagedDevices devices;
    private final TenantProfileLocks tenantLocks;
    private final DeliveryStore deliveries;
    private final PolicyStore policies;
    private final Outbox outbox;
    private final EntityManager entityManager;
    private final ObjectMapper json;
    private final Clock clock;
    private final int chunkSize;

    ProfileDelivery(
            ManagedDevices devices,
            TenantProfileLocks tenantLocks,
            DeliveryStore deliveries,
            PolicyStore policies,
            Outbox outbox,
            EntityManager entityManager,
            ObjectMapper json,
            Clock clock,
            @ConfigProperty(name = "bulwark.policy.profiles.chunk-size", defaultValue = "500") int chunkSize) {
        this.devices = devices;
        this.tenantLocks = tenantLocks;
        this.deliveries = deliveries;
        this.policies = policies;
        this.outbox = outbox;
        this.entityManager = entityManager;
        this.json = json;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    /**
     * A profile of the tenant was created, changed or deleted: every device under management, once the batches enrolling
     * devices of the tenant have committed ({@link TenantProfileLocks}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int ofTenant(String tenantId, Optional<String> cause) {
        tenantLocks.exclusive(tenantId);
        List<String> ids = devices.activeIds(tenantId);
        recompute(tenantId, ids, device -> cause, Optional.empty());
        LOG.debugf("Recomputed configuration profiles of %d devices of tenant %s", ids.size(), tenantId);
        return ids.size();
    }

    /** The user's user groups changed: the devices they are primary user of. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofUser(String tenantId, String userId, Optional<String> cause) {
        recompute(tenantId, devices.activeIdsOfUser(tenantId, userId), device -> cause, Optional.empty());
    }

    /** The device enrolled, or its device groups changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofDevice(String tenantId, String deviceId, Optional<String> cause) {
        recompute(tenantId, List.of(deviceId), device -> cause, Optional.empty());
    }

    /**
     * The devices enrolled (device id to the event that enrolled it): their profiles worked out together, with one
     * read of the tenant's profiles, groups and deliveries per chunk rather than per device. A device retired since is
     * skipped (only active devices are locked).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofEnrolled(String tenantId, Map<String, String> causeByDevice) {
        recompute(
                tenantId,
                List.copyOf(causeByDevice.keySet()),
                device -> Optional.ofNullable(causeByDevice.get(device)),
                Optional.empty());
    }

    /**
     * Sends the device's assigned profiles again (reason REPUSH): those named, or every one when {@code profileIds} is
     * empty. A profile not assigned to the device (or in conflict there) is not sent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void repush(String tenantId, String deviceId, Set<String> profileIds, Optional<String> cause) {
        recompute(tenantId, List.of(deviceId), device -> cause, Optional.of(profileIds));
    }

    /** The device was retired: it holds nothing any more, and is sent nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retired(String tenantId, String deviceId) {
        deliveries.retire(tenantId, deviceId, clock.instant());
    }

    /** The tenant's live profiles as delivery reads them. */
    List<ProfileDefinition> profiles(String tenantId) {
        return policies.list(tenantId, PolicyKind.DEVICE_CONFIGURATION).stream()
                .map(this::definition)
                .toList();
    }

    ProfileDefinition definition(StoredPolicy policy) {
        ConfigurationProfileBody body = body(policy);
        return new ProfileDefinition(
                policy.id(),
                policy.name(),
                policy.version(),
                policy.platform().orElseThrow(),
                body.type(),
                body.settings(),
                policy.targets(),
                body.deviceTargets() == null ? List.of() : body.deviceTargets());
    }

    ConfigurationProfileBody body(StoredPolicy policy) {
        try {
            return json.readValue(policy.body(), ConfigurationProfileBody.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored body of profile " + policy.id() + " is not readable", e);
        }
    }

    private void recompute(
            String tenantId,
            List<String> deviceIds,
            Function<String, Optional<String>> causeOf,
            Optional<Set<String>> repush) {
        if (deviceIds.isEmpty()) {
            return;
        }
        List<ProfileDefinition> profiles = profiles(tenantId);
        Map<String, ProfileDefinition> byId = new HashMap<>();
        profiles.forEach(p -> byId.put(p.id(), p));
        List<String> sorted = deviceIds.stream().sorted().distinct().toList();
        for (int from = 0; from < sorted.size(); from += chunkSize) {
            List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + chunkSize));
            List<ManagedDevice> locked = devices.lockActive(tenantId, chunk);
            Set<String> users = new HashSet<>();
            locked.forEach(d -> users.add(d.userId()));
            Map<String, Set<String>> userGroups = groups(tenantId, users, TargetKind.USER_GROUP);
            Map<String, Set<String>> deviceGroups = groups(
                    tenantId, locked.stream().map(ManagedDevice::deviceId).toList(), TargetKind.DEVICE_GROUP);
            Map<String, Map<String, DeliveryRow>> rows = deliveries.ofDevices(
                    tenantId, locked.stream().map(ManagedDevice::deviceId).toList());
            for (ManagedDevice device : locked) {
                Map<String, DesiredProfiles.Desired> desired = DesiredProfiles.of(
                        device,
                        userGroups.getOrDefault(device.userId(), Set.of()),
                        deviceGroups.getOrDefault(device.deviceId(), Set.of()),
                        profiles);
                diff(
                        device,
                        desired,
                        rows.getOrDefault(device.deviceId(), Map.of()),
                        byId,
                        causeOf.apply(device.deviceId()),
                        repush);
            }
            entityManager.flush();
            entityManager.clear();
        }
    }

    private void diff(
            ManagedDevice device,
            Map<String, DesiredProfiles.Desired> desired,
            Map<String, DeliveryRow> rows,
            Map<String, ProfileDefinition> live,
            Optional<String> cause,
            Optional<Set<String>> repush) {
        Instant now = clock.instant();
        for (DesiredProfiles.Desired d : desired.values()) {
            ProfileDefinition p = d.profile();
            DeliveryRow row = rows.get(p.id());
            boolean onDevice = row != null && row.status().active();
            if (d.conflicted()) {
                String commandId = row == null ? null : row.commandId();
                if (onDevice) {
                    commandId = remove(device, p.id(), p.type(), d.conflict(), cause);
                }
                if (row == null
                        || row.status() != ProfileStatus.CONFLICT
                        || !d.conflict().equals(row.reason())) {
                    deliveries.save(
                            device.tenantId(),
                            new DeliveryRow(
                                    device.deviceId(),
                                    p.id(),
                                    p.type(),
                                    ProfileStatus.CONFLICT,
                                    p.version(),
                                    null,
                                    row == null ? null : row.reportedVersion(),
                                    d.conflict(),
                                    commandId,
                                    row == null ? null : row.reportedAt(),
                                    now));
                }
                continue;
            }
            String settings = text(d.payload());
            boolean changed =
                    !onDevice || row.deliveredVersion() != p.version() || !settings.equals(row.deliveredSettings());
            boolean repushed =
                    repush.map(ids -> ids.isEmpty() || ids.contains(p.id())).orElse(false);
            if (!changed && !repushed) {
                continue;
            }
            ProfileDeliveryReason reason = changed
                    ? (onDevice ? ProfileDeliveryReason.NEW_VERSION : ProfileDeliveryReason.ASSIGNED)
                    : ProfileDeliveryReason.REPUSH;
            String commandId = apply(device, p, settings, reason, cause);
            deliveries.save(
                    device.tenantId(),
                    new DeliveryRow(
                            device.deviceId(),
                            p.id(),
                            p.type(),
                            ProfileStatus.PENDING,
                            p.version(),
                            settings,
                            row == null ? null : row.reportedVersion(),
                            null,
                            commandId,
                            row == null ? null : row.reportedAt(),
                            now));
        }
        for (DeliveryRow row : rows.values()) {
            if (desired.containsKey(row.profileId())) {
                continue;
            }
            if (row.status().active()) {
                String why = whyNotSubject(device, live.get(row.profileId()));
                String commandId = remove(device, row.profileId(), row.profileType(), why, cause);
                deliveries.save(device.tenantId(), withStatus(row, ProfileStatus.REMOVAL_PENDING, why, commandId, now));
            } else if (row.status() == ProfileStatus.CONFLICT) {
                // Never applied since the conflict arose (its removal, if any, was sent then): nothing to send.
                deliveries.save(
                        device.tenantId(),
                        withStatus(
                                row,
                                ProfileStatus.REMOVED,
                                whyNotSubject(device, live.get(row.profileId())),
                                row.commandId(),
                                now));
            }
        }
    }

    private static String whyNotSubject(ManagedDevice device, ProfileDefinition profile) {
        if (profile == null) {
            return "profile deleted";
        }
        if (!profile.platform().equals(device.platform())) {
            return "profile is now for " + profile.platform() + ", the device is " + device.platform();
        }
        return "device no longer targeted by the profile";
    }

    private static DeliveryRow withStatus(
            DeliveryRow row, ProfileStatus status, String reason, String commandId, Instant now) {
        return new DeliveryRow(
                row.deviceId(),
                row.profileId(),
                row.profileType(),
                status,
                row.deliveredVersion(),
                row.deliveredSettings(),
                row.reportedVersion(),
                reason,
                commandId,
                row.reportedAt(),
                now);
    }

    private String apply(
            ManagedDevice device,
            ProfileDefinition profile,
            String settings,
            ProfileDeliveryReason reason,
            Optional<String> cause) {
        String commandId = UUID.randomUUID().toString();
        outbox.append(
                Topics.MDM_COMMANDS,
                device.deviceId(),
                ConfigurationProfileApplyRequested.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(clock.instant())
                        .setTenantId(device.tenantId())
                        .setDeviceId(device.deviceId())
                        .setUserId(device.userId())
                        .setCommandId(commandId)
                        .setProfileId(profile.id())
                        .setProfileVersion(profile.version())
                        .setProfileType(
                                ConfigurationProfileType.valueOf(profile.type().name()))
                        .setPlatform(Platform.valueOf(profile.platform()))
                        .setName(profile.name())
                        .setSettingsJson(settings)
                        .setReason(reason)
                        .setCauseEventId(cause.orElse(null))
                        .build());
        return commandId;
    }

    private String remove(
            ManagedDevice device, String profileId, ProfileType type, String reason, Optional<String> cause) {
        String commandId = UUID.randomUUID().toString();
        outbox.append(
                Topics.MDM_COMMANDS,
                device.deviceId(),
                ConfigurationProfileRemoveRequested.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(clock.instant())
                        .setTenantId(device.tenantId())
                        .setDeviceId(device.deviceId())
                        .setUserId(device.userId())
                        .setCommandId(commandId)
                        .setProfileId(profileId)
                        .setProfileType(ConfigurationProfileType.valueOf(type.name()))
                        .setReason(reason)
                        .setCauseEventId(cause.orElse(null))
                        .build());
        return commandId;
    }

    /** The current groups of {@code kind} of each member, read with one query. */
    private Map<String, Set<String>> groups(String tenantId, java.util.Collection<String> members, TargetKind kind) {
        Map<String, Set<String>> groups = new HashMap<>();
        if (members.isEmpty()) {
            return groups;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select member_id, group_id from group_membership where tenant_id = :tenant"
                        + " and group_kind = :kind and member and member_id in (:members)")
                .setParameter("tenant", tenantId)
                .setParameter("kind", kind.name())
                .setParameter("members", new ArrayList<>(members))
                .getResultList();
        for (Object[] row : rows) {
            groups.computeIfAbsent((String) row[0], m -> new HashSet<>()).add((String) row[1]);
        }
        return groups;
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write profile settings", e);
        }
    }
}
