package dev.bulwark.assignment.managed;

import dev.bulwark.assignment.assignment.Assignments;
import dev.bulwark.assignment.catalogue.AppDistribution;
import dev.bulwark.assignment.catalogue.Catalogue;
import dev.bulwark.assignment.catalogue.CatalogueApp;
import dev.bulwark.assignment.effective.Audiences;
import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.assignment.projection.Projections;
import dev.bulwark.assignment.targeting.AssignmentRule;
import dev.bulwark.assignment.targeting.Audience;
import dev.bulwark.assignment.targeting.EffectiveIntent;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.assignment.targeting.IntentResolver;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

/**
 * The managed (MDM) path: turns effective intents of managed devices into AppInstallRequested, AppUninstallRequested
 * and AppUpdateRequested on bulwark.mdm-commands.v1, and remembers what it asked for. Only managed devices from the
 * projection are ever considered, so an unmanaged app instance can never receive one of these commands. A change that
 * reaches many devices is evaluated in memory and written in one transaction with batched statements.
 */
@ApplicationScoped
public class ManagedInstalls {

    private static final Logger LOG = Logger.getLogger(ManagedInstalls.class);

    private final Projections projections;
    private final Assignments assignments;
    private final Catalogue catalogue;
    private final Audiences audiences;
    private final DeviceAppStates states;
    private final Outbox outbox;

    ManagedInstalls(
            Projections projections,
            Assignments assignments,
            Catalogue catalogue,
            Audiences audiences,
            DeviceAppStates states,
            Outbox outbox) {
        this.projections = projections;
        this.assignments = assignments;
        this.catalogue = catalogue;
        this.audiences = audiences;
        this.states = states;
        this.outbox = outbox;
    }

    /** An assignment of the app changed: every active managed device of the tenant is looked at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int reconcileApp(String tenantId, String appId, String reason) {
        long started = System.nanoTime();
        List<ManagedDevice> devices = projections.activeDevices(tenantId);
        int commands = reconcile(tenantId, Set.of(appId), devices, reason);
        LOG.infof(
                "Reconciled app %s on %d managed devices of %s: %d commands in %d ms",
                appId, devices.size(), tenantId, commands, (System.nanoTime() - started) / 1_000_000);
        return commands;
    }

    /** The devices' groups, licence or enrollment changed: all assigned apps are looked at for them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int reconcileDevices(String tenantId, List<ManagedDevice> devices, String reason) {
        List<ManagedDevice> active =
                devices.stream().filter(ManagedDevice::active).toList();
        if (active.isEmpty()) {
            return 0;
        }
        return reconcile(tenantId, assignments.rulesByApp(tenantId).keySet(), active, reason);
    }

    /** The user's licence or groups changed: their managed devices are looked at. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int reconcileUser(String tenantId, String userId, String reason) {
        return reconcileDevices(tenantId, projections.activeDevicesOf(tenantId, userId), reason);
    }

    /**
     * A new version was published: managed devices this service installed the app on, and to which the app is still
     * offered or required, are asked to update. Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int pushNewVersion(String tenantId, String appId, String version) {
        List<DeviceAppState> installed = states.installedByService(tenantId, appId);
        if (installed.isEmpty()) {
            return 0;
        }
        Set<String> deviceIds = new java.util.HashSet<>();
        installed.forEach(s -> deviceIds.add(s.deviceId()));
        List<ManagedDevice> devices = projections.activeDevices(tenantId).stream()
                .filter(d -> deviceIds.contains(d.deviceId()))
                .toList();
        List<AssignmentRule> rules = assignments.rulesByApp(tenantId).getOrDefault(appId, List.of());
        Map<String, Audience> byDevice = audiences.ofManagedDevices(tenantId, devices);
        List<DeviceAppStates.Change> changes = new ArrayList<>();
        for (ManagedDevice device : devices) {
            EffectiveIntent effective = IntentResolver.resolve(rules, byDevice.get(device.deviceId()));
            if (effective.is(Intent.REQUIRED) || effective.offered()) {
                String commandId = UUID.randomUUID().toString();
                outbox.append(
                        Topics.MDM_COMMANDS,
                        device.deviceId(),
                        AppUpdateRequested.newBuilder()
                                .setEventId(Envelope.newEventId())
                                .setOccurredAt(Instant.now())
                                .setTenantId(tenantId)
                                .setDeviceId(device.deviceId())
                                .setUserId(device.userId())
                                .setAppId(appId)
                                .setVersion(version)
                                .setCommandId(commandId)
                                .setReason("version " + version + " published")
                                .build());
                changes.add(new DeviceAppStates.Change(
                        device.deviceId(), appId, DeviceAppState.UPDATE, version, commandId, true));
            }
        }
        states.apply(tenantId, changes);
        return changes.size();
    }

    /** The user (through a Company Portal) asks for an app offered to their managed device. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String requestInstall(ManagedDevice device, CatalogueApp app, String reason) {
        String commandId = UUID.randomUUID().toString();
        outbox.append(Topics.MDM_COMMANDS, device.deviceId(), install(device, app, commandId, reason));
        states.apply(
                device.tenantId(),
                List.of(new DeviceAppStates.Change(
                        device.deviceId(), app.appId, DeviceAppState.INSTALL, app.currentVersion, commandId, true)));
        return commandId;
    }

    /** A managed device checked in with the apps it has installed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reported(String tenantId, String deviceId, Map<String, String> installed, Instant at) {
        states.reported(tenantId, deviceId, installed, at);
    }

    private int reconcile(String tenantId, Collection<String> appIds, List<ManagedDevice> devices, String reason) {
        if (devices.isEmpty() || appIds.isEmpty()) {
            return 0;
        }
        Map<String, List<AssignmentRule>> rules = assignments.rulesByApp(tenantId);
        Map<String, CatalogueApp> apps = catalogue.byIds(tenantId, appIds);
        Map<String, Audience> byDevice = audiences.ofManagedDevices(tenantId, devices);
        Map<String, DeviceAppState> current = states.of(tenantId, appIds, devices);
        List<DeviceAppStates.Change> changes = new ArrayList<>();
        for (String appId : appIds) {
            CatalogueApp app = apps.get(appId);
            if (app == null || app.distribution == AppDistribution.STORE_LINK_ONLY) {
                continue;
            }
            List<AssignmentRule> appRules = rules.getOrDefault(appId, List.of());
            for (ManagedDevice device : devices) {
                if (!app.runsOn(device.platform())) {
                    continue; // an Android app is never pushed to an iPhone, whatever the targets say
                }
                EffectiveIntent effective = IntentResolver.resolve(appRules, byDevice.get(device.deviceId()));
                DeviceAppState state = current.getOrDefault(
                        DeviceAppStates.key(device.deviceId(), appId), DeviceAppState.absent(device.deviceId(), appId));
                String commandId = UUID.randomUUID().toString();
                if (effective.is(Intent.REQUIRED) && state.needsInstall()) {
                    outbox.append(
                            Topics.MDM_COMMANDS,
                            device.deviceId(),
                            install(device, app, commandId, "required by " + reasonOf(effective, reason)));
                    changes.add(new DeviceAppStates.Change(
                            device.deviceId(), appId, DeviceAppState.INSTALL, app.currentVersion, commandId, true));
                } else if (effective.is(Intent.UNINSTALL) && state.needsUninstall()) {
                    String version =
                            state.installedVersion().or(state::pendingVersion).orElse(app.currentVersion);
                    outbox.append(
                            Topics.MDM_COMMANDS,
                            device.deviceId(),
                            uninstall(device, app, version, commandId, "uninstall by " + reasonOf(effective, reason)));
                    changes.add(new DeviceAppStates.Change(
                            device.deviceId(), appId, DeviceAppState.UNINSTALL, version, commandId, true));
                }
            }
        }
        states.apply(tenantId, changes);
        return changes.size();
    }

    private static String reasonOf(EffectiveIntent effective, String fallback) {
        return effective.assignmentIds().isEmpty()
                ? fallback
                : "assignment " + String.join(", ", effective.assignmentIds());
    }

    private static SpecificRecord install(ManagedDevice device, CatalogueApp app, String commandId, String reason) {
        return AppInstallRequested.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(device.tenantId())
                .setDeviceId(device.deviceId())
                .setUserId(device.userId())
                .setAppId(app.appId)
                .setVersion(app.currentVersion)
                .setCommandId(commandId)
                .setReason(reason)
                .build();
    }

    private static SpecificRecord uninstall(
            ManagedDevice device, CatalogueApp app, String version, String commandId, String reason) {
        return AppUninstallRequested.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(device.tenantId())
                .setDeviceId(device.deviceId())
                .setUserId(device.userId())
                .setAppId(app.appId)
                .setVersion(version)
                .setCommandId(commandId)
                .setReason(reason)
                .build();
    }
}
