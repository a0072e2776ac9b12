package dev.bulwark.registry.shared;

import dev.bulwark.events.SelectiveWipeResult;
import java.util.List;

/**
 * The outcome of a selective wipe of corporate data that an app carried out at this check-in, because a SignOutRequired
 * asked for one. It is a fact of the check-in, not of the device's state: it travels in that check-in's
 * DeviceStateReported (compliance-service tracks the wipe's status from there) and is not stored here.
 */
public record WipeOutcome(String appId, boolean succeeded, String reason) {

    public SelectiveWipeResult toEvent() {
        return SelectiveWipeResult.newBuilder()
                .setAppId(appId)
                .setSucceeded(succeeded)
                .setReason(reason)
                .build();
    }

    public static List<SelectiveWipeResult> toEvents(List<WipeOutcome> outcomes) {
        return outcomes.stream().map(WipeOutcome::toEvent).toList();
    }
}
