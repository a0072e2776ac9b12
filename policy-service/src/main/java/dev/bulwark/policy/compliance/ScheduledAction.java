package dev.bulwark.policy.compliance;

import java.time.Duration;

/** One step of the schedule: {@code action} once the device has been non-compliant for the grace period {@code after}. */
public record ScheduledAction(ComplianceAction action, Duration after) {}
