package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.remediation.RemediationCommand;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.UnmanagedRemediationAction;
import dev.bulwark.events.UnmanagedRemediationRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unmanaged remediation ladder: what the protected app itself can do about each broken rule — prompt for the PIN,
 * require an app update, or ask for a fresh check-in (after an OS update, or to show the device is no longer
 * jailbroken). The commands go to {@code bulwark.mam-commands.v1}, keyed by registrationId; the app acts at its next
 * check-in.
 */
public final class UnmanagedRemediator implements Remediator {

    private final String appId;

    public UnmanagedRemediator(String appId) {
        this.appId = appId;
    }

    @Override
    public List<RemediationCommand> commands(
            String tenantId,
            String registrationId,
            String userId,
            List<Violation> violations,
            Instant dueAt,
            Instant now) {
        Map<UnmanagedRemediationAction, Step> steps = new LinkedHashMap<>();
        for (Violation violation : violations) {
            switch (violation.rule()) {
                case UnmanagedAppEvaluator.PIN_REQUIRED -> steps.putIfAbsent(
                        UnmanagedRemediationAction.SET_PIN,
                        new Step(Optional.empty(), "Set an app PIN to keep access to your work account."));
                case UnmanagedAppEvaluator.MINIMUM_APP_VERSION -> {
                    String minimum = violation.expected().replaceFirst("^>=\\s*", "");
                    steps.putIfAbsent(
                            UnmanagedRemediationAction.UPDATE_APP,
                            new Step(
                                    Optional.of(minimum),
                                    "Update this app to version " + minimum + " or later to keep access to your work"
                                            + " account."));
                }
                default -> steps.putIfAbsent(
                        UnmanagedRemediationAction.CHECK_IN,
                        new Step(
                                Optional.empty(),
                                "Your device does not meet your organization's requirements: " + violation.summary()
                                        + ". Fix it and open the app again."));
            }
        }
        List<RemediationCommand> commands = new ArrayList<>();
        steps.forEach((action, step) -> {
            String commandId = Envelope.newEventId();
            UnmanagedRemediationRequested command = UnmanagedRemediationRequested.newBuilder()
                    .setEventId(Envelope.newEventId())
                    .setOccurredAt(now)
                    .setTenantId(tenantId)
                    .setRegistrationId(registrationId)
                    .setUserId(userId)
                    .setAppId(appId)
                    .setCommandId(commandId)
                    .setAction(action)
                    .setMinimumAppVersion(step.minimumAppVersion().orElse(null))
                    .setMessage(step.message())
                    .setDeadline(dueAt)
                    .build();
            commands.add(
                    new RemediationCommand(commandId, action.name(), Topics.MAM_COMMANDS, registrationId, command));
        });
        return List.copyOf(commands);
    }

    private record Step(Optional<String> minimumAppVersion, String message) {}
}
