package dev.bulwark.assignment.portal;

import dev.bulwark.assignment.catalogue.Catalogue;
import dev.bulwark.assignment.catalogue.CatalogueApp;
import dev.bulwark.assignment.effective.AppIntent;
import dev.bulwark.assignment.effective.EffectiveApps;
import dev.bulwark.assignment.managed.InstallState;
import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.kit.problem.ProblemException;

/** The one rule both portals follow for a user's install request: only an app offered to that managed device. */
final class PortalInstalls {

    private PortalInstalls() {}

    static PortalResource.InstallRequested install(
            ManagedDevice device,
            String appId,
            EffectiveApps effectiveApps,
            Catalogue catalogue,
            ManagedInstalls managedInstalls) {
        AppIntent offered = effectiveApps.forManagedDevice(device).stream()
                .filter(a -> a.appId().equals(appId) && a.offered())
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound(
                        "App " + appId + " is not available to device " + device.deviceId() + "."));
        if (offered.installState() == InstallState.INSTALL_PENDING
                || offered.installState() == InstallState.UPDATE_PENDING) {
            throw ProblemException.conflict("An install of " + appId + " is already on its way to this device.");
        }
        CatalogueApp app = catalogue.require(device.tenantId(), appId);
        String commandId = managedInstalls.requestInstall(device, app, "requested in the Company Portal");
        return new PortalResource.InstallRequested(device.deviceId(), appId, app.currentVersion, commandId);
    }
}
