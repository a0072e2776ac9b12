package dev.bulwark.compliance.remediation;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One step of a remediation ladder: the command sent to the device or app (on its path's command topic, under its key),
 * its action name, and its commandId, which is the attemptId of the RemediationAttempted events that track it.
 */
public record RemediationCommand(String attemptId, String action, String topic, String key, SpecificRecord command) {

    public RemediationCommand {
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(command, "command");
    }
}
