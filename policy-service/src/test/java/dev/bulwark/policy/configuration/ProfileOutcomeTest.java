package dev.bulwark.policy.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What one reported profile outcome makes of a device x profile row, without I/O. */
class ProfileOutcomeTest {

    private static final Instant SENT = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant LATER = SENT.plusSeconds(60);

    private static DeliveryRow row(ProfileStatus status, long deliveredVersion, Instant reportedAt) {
        return new DeliveryRow(
                "d1", "p1", ProfileType.WIFI, status, deliveredVersion, "{}", null, null, "c1", reportedAt, SENT);
    }

    private static ConfigurationProfileStatus outcome(long version, ConfigurationProfileState state, String reason) {
        return ConfigurationProfileStatus.newBuilder()
                .setProfileId("p1")
                .setVersion(version)
                .setState(state)
                .setReason(reason)
                .build();
    }

    @Test
    void theDeliveredVersionAppliedOrFailedSettlesTheRow() {
        DeliveryRow applied = ProfileOutcome.applied(
                        row(ProfileStatus.PENDING, 2, null), outcome(2, ConfigurationProfileState.APPLIED, null), LATER)
                .orElseThrow();
        assertThat(applied.status()).isEqualTo(ProfileStatus.APPLIED);
        assertThat(applied.reportedVersion()).isEqualTo(2L);
        assertThat(applied.reportedAt()).isEqualTo(LATER);
        assertThat(applied.updatedAt()).isEqualTo(LATER);

        DeliveryRow failed = ProfileOutcome.applied(
                        row(ProfileStatus.APPLIED, 2, SENT), outcome(2, ConfigurationProfileState.FAILED, null), LATER)
                .orElseThrow();
        assertThat(failed.status()).isEqualTo(ProfileStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("the device gave no reason");
    }

    @Test
    void anOlderVersionLeavesTheRowPendingAndSaysSo() {
        DeliveryRow drifted = ProfileOutcome.applied(
                        row(ProfileStatus.APPLIED, 3, SENT), outcome(2, ConfigurationProfileState.APPLIED, null), LATER)
                .orElseThrow();
        assertThat(drifted.status()).isEqualTo(ProfileStatus.PENDING);
        assertThat(drifted.reason()).isEqualTo("the device reports version 2 APPLIED; version 3 was sent");
    }

    @Test
    void removedSettlesAPendingRemovalOrRecordsAnUnaskedOne() {
        assertThat(ProfileOutcome.applied(
                                row(ProfileStatus.REMOVAL_PENDING, 1, SENT),
                                outcome(1, ConfigurationProfileState.REMOVED, null),
                                LATER)
                        .orElseThrow()
                        .status())
                .isEqualTo(ProfileStatus.REMOVED);
        DeliveryRow unasked = ProfileOutcome.applied(
                        row(ProfileStatus.APPLIED, 1, SENT), outcome(1, ConfigurationProfileState.REMOVED, null), LATER)
                .orElseThrow();
        assertThat(unasked.status()).isEqualTo(ProfileStatus.REMOVED);
        assertThat(unasked.reason()).isEqualTo("removed on the device although still assigned");
    }

    @Test
    void aReportOlderThanTheLastOneAppliedChangesNothingAndAnUnchangedStatusKeepsItsTime() {
        assertThat(ProfileOutcome.applied(
                        row(ProfileStatus.PENDING, 1, LATER),
                        outcome(1, ConfigurationProfileState.APPLIED, null),
                        SENT))
                .isEmpty();
        DeliveryRow same = ProfileOutcome.applied(
                        row(ProfileStatus.APPLIED, 1, SENT), outcome(1, ConfigurationProfileState.APPLIED, null), LATER)
                .orElseThrow();
        assertThat(same.updatedAt()).isEqualTo(SENT);
        assertThat(same.reportedAt()).isEqualTo(LATER);
    }
}
