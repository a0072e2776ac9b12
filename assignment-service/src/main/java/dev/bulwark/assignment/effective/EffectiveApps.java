package dev.bulwark.assignment.effective;

import dev.bulwark.assignment.assignment.Assignments;
import dev.bulwark.assignment.catalogue.Catalogue;
import dev.bulwark.assignment.catalogue.CatalogueApp;
import dev.bulwark.assignment.managed.DeviceAppState;
import dev.bulwark.assignment.managed.DeviceAppStates;
import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.assignment.targeting.AssignmentRule;
import dev.bulwark.assignment.targeting.Audience;
import dev.bulwark.assignment.targeting.EffectiveIntent;
import dev.bulwark.assignment.targeting.IntentResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective intents of every assigned app for one subject, from the projections and this service's own
 * assignments: for a managed device (user and device targets, the conflict table, install state) or for a user on
 * unmanaged devices (user targets, Available only).
 */
@ApplicationScoped
public class EffectiveApps {

    private final Assignments assignments;
    private final Catalogue catalogue;
    private final Audiences audiences;
    private final DeviceAppStates states;

    EffectiveApps(Assignments assignments, Catalogue catalogue, Audiences audiences, DeviceAppStates states) {
        this.assignments = assignments;
        this.catalogue = catalogue;
        this.audiences = audiences;
        this.states = states;
    }

    public List<AppIntent> forManagedDevice(ManagedDevice device) {
        String tenant = device.tenantId();
        Map<String, List<AssignmentRule>> rules = assignments.rulesByApp(tenant);
        Map<String, CatalogueApp> apps = catalogue.byIds(tenant, rules.keySet());
        Audience audience = audiences.ofManagedDevices(tenant, List.of(device)).get(device.deviceId());
        Map<String, DeviceAppState> known = new HashMap<>();
        states.ofDevice(tenant, device.deviceId()).forEach(s -> known.put(s.appId(), s));
        List<AppIntent> result = new ArrayList<>();
        for (CatalogueApp app : sorted(apps)) {
            if (!app.runsOn(device.platform())) {
                continue;
            }
            EffectiveIntent effective = IntentResolver.resolve(rules.get(app.appId), audience);
            if (effective.intent().isPresent()) {
                result.add(AppIntent.managed(
                        app,
                        effective,
                        known.getOrDefault(app.appId, DeviceAppState.absent(device.deviceId(), app.appId))));
            }
        }
        return result;
    }

    /** What a user may fetch on unmanaged devices: Available apps through user targets, nothing else. */
    public List<AppIntent> forUnmanagedUser(String tenantId, String userId) {
        Map<String, List<AssignmentRule>> rules = assignments.rulesByApp(tenantId);
        Map<String, CatalogueApp> apps = catalogue.byIds(tenantId, rules.keySet());
        Audience audience = audiences.ofUnmanagedUser(tenantId, userId);
        List<AppIntent> result = new ArrayList<>();
        for (CatalogueApp app : sorted(apps)) {
            EffectiveIntent effective = IntentResolver.resolve(rules.get(app.appId), audience);
            if (effective.offered()) {
                result.add(AppIntent.unmanaged(app, effective));
            }
        }
        return result;
    }

    private static List<CatalogueApp> sorted(Map<String, CatalogueApp> apps) {
        return apps.values().stream()
                .sorted(java.util.Comparator.comparing((CatalogueApp a) -> a.name)
                        .thenComparing(a -> a.appId))
                .toList();
    }
}
