package dev.bulwark.assignment.effective;

import dev.bulwark.assignment.catalogue.CatalogueApp;
import dev.bulwark.assignment.managed.DeviceAppState;
import dev.bulwark.assignment.managed.InstallState;
import dev.bulwark.assignment.targeting.EffectiveIntent;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.rules.OsPlatform;
import java.util.List;

/**
 * One app's effective intents for one subject, with what a Company Portal shows of it. {@code installState} and
 * {@code installedVersion} are null on an unmanaged app instance: the service neither installs nor tracks there.
 */
public record AppIntent(
        String appId,
        String name,
        OsPlatform platform,
        String version,
        String description,
        boolean protectedApp,
        String storeUrl,
        List<Intent> intents,
        List<String> assignmentIds,
        InstallState installState,
        String installedVersion) {

    static AppIntent managed(CatalogueApp app, EffectiveIntent effective, DeviceAppState state) {
        return new AppIntent(
                app.appId,
                app.name,
                app.platform,
                app.currentVersion,
                app.description,
                app.protectedApp,
                app.storeUrl(),
                effective.shown(),
                effective.assignmentIds(),
                state.state(),
                state.installedVersion().orElse(null));
    }

    static AppIntent unmanaged(CatalogueApp app, EffectiveIntent effective) {
        return new AppIntent(
                app.appId,
                app.name,
                app.platform,
                app.currentVersion,
                app.description,
                app.protectedApp,
                app.storeUrl(),
                effective.shown(),
                effective.assignmentIds(),
                null,
                null);
    }

    public boolean offered() {
        return intents.contains(Intent.AVAILABLE);
    }
}
