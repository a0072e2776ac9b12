package dev.bulwark.compliance.managed;

import dev.bulwark.compliance.remediation.RemediationCommand;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed remediation ladder: device commands for each broken rule — install a missing required app, re-push the
 * configuration (the failed configuration profiles; every profile for encryption or passcode), ask for an OS update, or notify the user of what only they can fix. The
 * commands go to {@code bulwark.mdm-commands.v1}, keyed by deviceId.
 */
public final class ManagedRemediator implements Remediator {

    @Override
    public List<RemediationCommand> commands(
            String tenantId, String deviceId, String userId, List<Violation> violations, Instant dueAt, Instant now) {
        Map<String, Step> steps = new LinkedHashMap<>();
        for (Violation violation : violations) {
            switch (violation.rule()) {
                case ManagedDeviceEvaluator.REQUIRED_APP -> steps.putIfAbsent(
                        "install:" + violation.expected(),
                        new Step(
                                ManagedRemediationAction.INSTALL_REQUIRED_APP,
                                Optional.of(violation.expected()),
                                "Your organization requires " + violation.expected() + "; it is being installed.",
                                List.of()));
                case ManagedDeviceEvaluator.MINIMUM_OS_VERSION -> steps.putIfAbsent(
                        "os",
                        new Step(
                                ManagedRemediationAction.REQUEST_OS_UPDATE,
                                Optional.empty(),
                                "Update your device's operating system to "
                                        + violation.expected().replace(">= ", "") + " or later.",
                                List.of()));
                case ManagedDeviceEvaluator.CONFIGURATION_PROFILES_APPLIED -> {
                    Step current = steps.get(CONFIGURATION);
                    if (current == null) {
                        steps.put(
                                CONFIGURATION,
                                new Step(
                                        ManagedRemediationAction.REPUSH_CONFIGURATION,
                                        Optional.empty(),
                                        "Your device's configuration profiles are being sent again.",
                                        List.of(ManagedDeviceEvaluator.profileIdOf(violation))));
                    } else if (!current.profileIds().isEmpty()) {
                        // more failed profiles; an empty list (the whole configuration) already covers them
                        List<String> more = new ArrayList<>(current.profileIds());
                        more.add(ManagedDeviceEvaluator.profileIdOf(violation));
                        steps.put(CONFIGURATION, new Step(current.action(), current.appId(), current.message(), more));
                    }
                }
                    // encryption or passcode: the whole configuration is sent again (no profileIds)
                case ManagedDeviceEvaluator.ENCRYPTION_REQUIRED, ManagedDeviceEvaluator.PASSCODE_REQUIRED -> steps.put(
                        CONFIGURATION,
                        new Step(
                                ManagedRemediationAction.REPUSH_CONFIGURATION,
                                Optional.empty(),
                                "Your device's settings are being applied again: " + violation.summary() + ".",
                                List.of()));
                default -> steps.putIfAbsent(
                        "notify:" + violation.rule(),
                        new Step(
                                ManagedRemediationAction.NOTIFY,
                                Optional.empty(),
                                "Your device is not compliant: " + violation.summary() + ".",
                                List.of()));
            }
        }
        List<RemediationCommand> commands = new ArrayList<>();
        for (Step step : steps.values()) {
            String commandId = Envelope.newEventId();
            ManagedRemediationRequested command = ManagedRemediationRequested.newBuilder()
                    .setEventId(Envelope.newEventId())
                    .setOccurredAt(now)
                    .setTenantId(tenantId)
                    .setDeviceId(deviceId)
                    .setUserId(userId)
                    .setCommandId(commandId)
                    .setAction(step.action())
                    .setAppId(step.appId().orElse(null))
                    .setMessage(step.message())
                    .setProfileIds(step.profileIds())
                    .setDeadline(dueAt)
                    .build();
            commands.add(
                    new RemediationCommand(commandId, step.action().name(), Topics.MDM_COMMANDS, deviceId, command));
        }
        return List.copyOf(commands);
    }

    private static final String CONFIGURATION = "configuration";

    /**
     * One command to send; {@code profileIds} of a REPUSH_CONFIGURATION are the failed profiles, or empty for the whole
     * configuration (an encryption or passcode finding).
     */
    private record Step(
            ManagedRemediationAction action, Optional<String> appId, String message, List<String> profileIds) {}
}
