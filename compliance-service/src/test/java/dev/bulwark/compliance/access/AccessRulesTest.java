package dev.bulwark.compliance.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectState;
import dev.bulwark.events.ManagementType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Violation OLD_OS =
            new Violation("minimumOsVersion", ">= 14", "13", "its OS version 13 is below the minimum 14");

    @Test
    void aCompliantSubjectIsAllowed() {
        assertThat(AccessRules.decide(ManagementType.MANAGED, SubjectState.COMPLIANT, List.of(), Optional.empty())
                        .decision())
                .isEqualTo(AccessDecision.ALLOW);
    }

    @Test
    void aSubjectInRemediationIsBlockedAndToldTheDeadline() {
        AccessVerdict verdict = AccessRules.decide(
                ManagementType.MANAGED,
                SubjectState.NON_COMPLIANT_REMEDIATING,
                List.of(OLD_OS),
                Optional.of(Instant.parse("2026-01-05T11:00:00Z")));

        assertThat(verdict.decision()).isEqualTo(AccessDecision.BLOCK);
        assertThat(verdict.message())
                .contains("its OS version 13 is below the minimum 14")
                .contains("2026-01-05T11:00:00Z");
    }

    @Test
    void aSignedOutSubjectIsToldToSignInAgain() {
        AccessVerdict verdict =
                AccessRules.decide(ManagementType.MANAGED, SubjectState.SIGNED_OUT, List.of(OLD_OS), Optional.empty());

        assertThat(verdict.decision()).isEqualTo(AccessDecision.SIGNED_OUT);
        assertThat(verdict.message()).startsWith("Signed out, sign in again.").contains("Your device is not compliant");
    }

    @Test
    void anUnmanagedSubjectIsAddressedAsTheAccountInTheApp() {
        assertThat(AccessRules.decide(ManagementType.UNMANAGED, SubjectState.SIGNED_OUT, List.of(), Optional.empty())
                        .message())
                .contains("Your account in this app is not compliant");
    }
}
