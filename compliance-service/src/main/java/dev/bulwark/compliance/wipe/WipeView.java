package dev.bulwark.compliance.wipe;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutReason;
import java.time.Instant;
import java.util.Optional;

/**
 * One selective wipe of an account's corporate data in one app on one subject, as the REST API shows it. No
 * {@code appId} means every protected app on the subject (a managed device's sign-out names no app).
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record WipeView(
        String wipeId,
        String subjectId,
        ManagementType managementType,
        String userId,
        Optional<String> appId,
        WipeStatus status,
        SignOutReason reason,
        String signOutEventId,
        Instant requestedAt,
        Optional<Instant> completedAt,
        Optional<String> failureReason,
        Optional<String> resultEventId) {}
