package dev.bulwark.compliance.subject;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.events.SignOutReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComplianceStateMachineTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final Violation OLD_OS = new Violation("minimumOsVersion", ">= 14", "13", "its OS is old");
    private static final Violation JAILBROKEN = new Violation("jailbroken", "false", "true", "it is jailbroken");
    private static final RemediationSettings NO_REMEDIATION = RemediationSettings.disabled();
    private static final RemediationSettings ONE_HOUR = new RemediationSettings(true, Duration.ofHours(1));

    private final ComplianceStateMachine machine = new ComplianceStateMachine();

    @Test
    void aFirstPassingVerdictMakesTheSubjectCompliantWithoutEvents() {
        Outcome outcome = machine.onVerdict(Optional.empty(), List.of(), NO_REMEDIATION, NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.COMPLIANT);
        assertThat(outcome.effects()).containsExactly(new Effect.AssessedCompliant());
    }

    @Test
    void ifRemediationIsDisabledAFailingSubjectIsFailedAndSignedOutAtOnce() {
        Outcome outcome = machine.onVerdict(Optional.empty(), List.of(OLD_OS), NO_REMEDIATION, NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.violations()).containsExactly(OLD_OS);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.Failed(List.of(OLD_OS), false, Optional.empty()),
                        new Effect.SignOut(SignOutReason.REMEDIATION_DISABLED, List.of(OLD_OS)));
    }

    @Test
    void aCompliantSubjectThatBreaksARuleFails() {
        Outcome outcome = machine.onVerdict(compliant(), List.of(JAILBROKEN), NO_REMEDIATION, NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects()).hasSize(2).first().isInstanceOf(Effect.Failed.class);
    }

    @Test
    void withRemediationEnabledAFailingSubjectGetsADeadlineInsteadOfASignOut() {
        Outcome outcome = machine.onVerdict(compliant(), List.of(OLD_OS), ONE_HOUR, NOW);

        Instant due = NOW.plus(Duration.ofHours(1));
        assertThat(outcome.state()).isEqualTo(SubjectState.NON_COMPLIANT_REMEDIATING);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.Failed(List.of(OLD_OS), true, Optional.of(due)), new Effect.RemediationStarted(due));
    }

    @Test
    void aRepeatedFailingReportWhileSignedOutEmitsNothingNew() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS))),
                List.of(OLD_OS),
                NO_REMEDIATION,
                NOW);

        assertThat(outcome.isNoop()).isTrue();
        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
    }

    @Test
    void aRepeatedFailingReportWhileRemediatingNeitherFailsAgainNorMovesTheDeadline() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS))),
                List.of(OLD_OS),
                ONE_HOUR,
                NOW);

        assertThat(outcome.isNoop()).isTrue();
    }

    @Test
    void otherBrokenRulesWhileFailedAreRecordedWithoutANewEvent() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS))),
                List.of(OLD_OS, JAILBROKEN),
                NO_REMEDIATION,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.violations()).containsExactly(OLD_OS, JAILBROKEN);
        assertThat(outcome.effects()).containsExactly(new Effect.ViolationsChanged(List.of(OLD_OS, JAILBROKEN)));
    }

    @Test
    void aNewReportedValueForTheSameRuleIsRecordedWithoutANewEvent() {
        Violation olderStill = new Violation("minimumOsVersion", ">= 14", "12", "its OS is older still");
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS))),
                List.of(olderStill),
                ONE_HOUR,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.NON_COMPLIANT_REMEDIATING);
        assertThat(outcome.effects()).containsExactly(new Effect.ViolationsChanged(List.of(olderStill)));
    }

    @Test
    void theSameFindingsInAnotherOrderAreNoChange() {
        assertThat(machine.onVerdict(
                                Optional.of(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS, JAILBROKEN))),
                                List.of(JAILBROKEN, OLD_OS),
                                NO_REMEDIATION,
                                NOW)
                        .isNoop())
                .isTrue();
    }

    @Test
    void aPassingReportRestoresASignedOutSubject() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS))),
                List.of(),
                NO_REMEDIATION,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.COMPLIANT);
        assertThat(outcome.violations()).isEmpty();
        assertThat(outcome.effects()).containsExactly(new Effect.Restored(SubjectState.SIGNED_OUT));
    }

    @Test
    void aPassingReportDuringRemediationRestoresTheSubject() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS))),
                List.of(),
                ONE_HOUR,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.COMPLIANT);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.RemediationEnded(true, "the subject is compliant again"),
                        new Effect.Restored(SubjectState.NON_COMPLIANT_REMEDIATING));
    }

    @Test
    void aPassingReportForACompliantSubjectChangesNothing() {
        assertThat(machine.onVerdict(compliant(), List.of(), ONE_HOUR, NOW).isNoop())
                .isTrue();
    }

    @Test
    void ifRemediationDoesNotSucceedWithinTheDeadlineTheSubjectIsSignedOut() {
        Outcome outcome =
                machine.onDeadlineExpired(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS)));

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.RemediationEnded(false, "the remediation deadline passed"),
                        new Effect.SignOut(SignOutReason.REMEDIATION_FAILED, List.of(OLD_OS)));
    }

    @Test
    void anExpiredDeadlineOfASubjectNoLongerRemediatingDoesNothing() {
        assertThat(machine.onDeadlineExpired(new SubjectSnapshot(SubjectState.COMPLIANT, List.of()))
                        .isNoop())
                .isTrue();
        assertThat(machine.onDeadlineExpired(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS)))
                        .isNoop())
                .isTrue();
    }

    @Test
    void aRetiredDeviceIsSignedOutWithWhateverItLastBroke() {
        Outcome fromCompliant = machine.onRetired(compliant());
        assertThat(fromCompliant.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(fromCompliant.effects())
                .containsExactly(new Effect.Retired(), new Effect.SignOut(SignOutReason.DEVICE_RETIRED, List.of()));

        Outcome neverEvaluated = machine.onRetired(Optional.empty());
        assertThat(neverEvaluated.effects()).hasSize(2).last().isInstanceOf(Effect.SignOut.class);
    }

    @Test
    void retiringADeviceInRemediationEndsTheAttemptAsFailed() {
        Outcome outcome = machine.onRetired(
                Optional.of(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS))));

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.Retired(),
                        new Effect.RemediationEnded(false, "the device was retired"),
                        new Effect.SignOut(SignOutReason.DEVICE_RETIRED, List.of(OLD_OS)));
    }

    @Test
    void retiringADeviceWhoseUserIsAlreadySignedOutDoesNotSignOutAgain() {
        Outcome outcome = machine.onRetired(Optional.of(new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS))));

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects()).containsExactly(new Effect.Retired());
    }

    private static Optional<SubjectSnapshot> compliant() {
        return Optional.of(new SubjectSnapshot(SubjectState.COMPLIANT, List.of()));
    }

    private static final Violation DISABLED_BLOCK =
            new Violation("disabledAccount", "enabled", "disabled", "your work account is disabled").from("p1", false);
    private static final Violation DISABLED_WIPE = DISABLED_BLOCK.from("p1", true);

    @Test
    void aDisabledAccountWhoseActionIsBlockBlocksAtOnceEvenWithRemediationOn() {
        Outcome outcome = machine.onVerdict(compliant(), List.of(DISABLED_BLOCK), ONE_HOUR, NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.BLOCKED);
        assertThat(outcome.effects())
                .hasSize(2)
                .first()
                .isEqualTo(new Effect.Failed(List.of(DISABLED_BLOCK), false, Optional.empty()));
        assertThat(outcome.effects().get(1)).isInstanceOf(Effect.Blocked.class);
    }

    @Test
    void aDisabledAccountWhoseActionIsWipeSignsOutAtOnceAndEndsARunningRemediation() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.NON_COMPLIANT_REMEDIATING, List.of(OLD_OS))),
                List.of(OLD_OS, DISABLED_WIPE),
                ONE_HOUR,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects())
                .containsExactly(
                        new Effect.RemediationEnded(false, "a rule broke that remediation cannot fix"),
                        new Effect.SignOut(SignOutReason.ACCOUNT_DISABLED, List.of(OLD_OS, DISABLED_WIPE)));
    }

    @Test
    void aBlockedAccountEnabledAgainButStillBreakingARuleFailsAnew() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.BLOCKED, List.of(DISABLED_BLOCK))),
                List.of(OLD_OS),
                NO_REMEDIATION,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.SIGNED_OUT);
        assertThat(outcome.effects()).first().isInstanceOf(Effect.Failed.class);
    }

    @Test
    void aBlockedSubjectThatCompliesIsRestored() {
        Outcome outcome = machine.onVerdict(
                Optional.of(new SubjectSnapshot(SubjectState.BLOCKED, List.of(DISABLED_BLOCK))),
                List.of(),
                NO_REMEDIATION,
                NOW);

        assertThat(outcome.state()).isEqualTo(SubjectState.COMPLIANT);
        assertThat(outcome.effects()).containsExactly(new Effect.Restored(SubjectState.BLOCKED));
    }

    @Test
    void withoutRemediationAPolicysBlockStepIsScheduledAfterTheSignOut() {
        RemediationSettings schedule =
                NO_REMEDIATION.withEscalation(Optional.of(Duration.ofDays(3)), Optional.of(Duration.ofDays(30)));
        Outcome outcome = machine.onVerdict(compliant(), List.of(OLD_OS), schedule, NOW);

        assertThat(outcome.effects())
                .last()
                .isEqualTo(new Effect.EscalationScheduled(
                        ComplianceStateMachine.STEP_BLOCK,
                        NOW.plus(Duration.ofDays(3)),
                        Optional.of(NOW.plus(Duration.ofDays(30)))));
    }

    @Test
    void theBlockStepBlocksASignedOutDeviceAndSchedulesRetirementWhichSignsOutWithTheRetiredReason() {
        SubjectSnapshot signedOut = new SubjectSnapshot(SubjectState.SIGNED_OUT, List.of(OLD_OS));
        Outcome blocked = machine.onBlockDue(signedOut, Optional.of(NOW));
        assertThat(blocked.state()).isEqualTo(SubjectState.BLOCKED);
        assertThat(blocked.effects())
                .last()
                .isEqualTo(new Effect.EscalationScheduled(ComplianceStateMachine.STEP_RETIRE, NOW, Optional.empty()));

        Outcome retired = machine.onRetireDue(new SubjectSnapshot(SubjectState.BLOCKED, List.of(OLD_OS)));
        assertThat(retired.effects())
                .containsExactly(new Effect.SignOut(SignOutReason.DEVICE_RETIRED, List.of(OLD_OS)));
        assertThat(machine.onBlockDue(new SubjectSnapshot(SubjectState.COMPLIANT, List.of()), Optional.empty())
                        .isNoop())
                .isTrue();
    }
}
