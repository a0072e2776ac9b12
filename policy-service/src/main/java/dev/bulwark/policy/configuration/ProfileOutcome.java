package dev.bulwark.policy.configuration;

import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The rule that turns one profile outcome a device reported into the device x profile row's new state: APPLIED or
 * FAILED count only for the delivered version (an older one leaves the row PENDING, drifted, with a reason), REMOVED
 * settles a pending removal or records a removal the admin did not ask for. Pure: the caller reads and writes the rows.
 */
final class ProfileOutcome {

    private ProfileOutcome() {}

    /**
     * The row after the outcome reported at {@code at}; empty when the report is older than the last one applied to the
     * row (it changes nothing).
     */
    static Optional<DeliveryRow> applied(DeliveryRow row, ConfigurationProfileStatus reported, Instant at) {
        if (row.reportedAt() != null && at.isBefore(row.reportedAt())) {
            return Optional.empty();
        }
        ProfileStatus status = row.status();
        String reason = row.reason();
        long version = reported.getVersion();
        switch (reported.getState()) {
            case APPLIED, FAILED -> {
                if (!row.status().active()) {
                    break;
                }
                if (version == row.deliveredVersion()) {
                    boolean applied = reported.getState() == ConfigurationProfileState.APPLIED;
                    status = applied ? ProfileStatus.APPLIED : ProfileStatus.FAILED;
                    reason = applied
                            ? null
                            : Optional.ofNullable(reported.getReason()).orElse("the device gave no reason");
                } else if (version < row.deliveredVersion()) {
                    status = ProfileStatus.PENDING;
                    reason = "the device reports version " + version + " " + reported.getState() + "; version "
                            + row.deliveredVersion() + " was sent";
                }
            }
            case REMOVED -> {
                if (row.status() == ProfileStatus.REMOVAL_PENDING) {
                    status = ProfileStatus.REMOVED;
                } else if (row.status().active() && version == row.deliveredVersion()) {
                    status = ProfileStatus.REMOVED;
                    reason = "removed on the device although still assigned";
                }
            }
            default -> {}
        }
        return Optional.of(new DeliveryRow(
                row.deviceId(),
                row.profileId(),
                row.profileType(),
                status,
                row.deliveredVersion(),
                row.deliveredSettings(),
                version,
                reason,
                row.commandId(),
                at,
                status == row.status() ? row.updatedAt() : at));
    }
}
