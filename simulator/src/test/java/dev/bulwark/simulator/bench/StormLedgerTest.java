package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StormLedgerTest {

    private final StormLedger ledger = new StormLedger(20_000);

    @Test
    void aSubjectThatFixedBeforeItsDeadlineAndWasSignedOutIsAWrongSignOut() {
        ledger.firstReport("fixed-in-time", 1_000, true);
        ledger.fixAnswered("fixed-in-time", 11_000); // deadline 21,000
        ledger.signedOut("fixed-in-time", 45_000); // processed behind a backlog
        assertThat(ledger.wrongSignOuts()).isEqualTo(1);
        assertThat(ledger.rightSignOuts()).isZero();
    }

    @Test
    void theEventsOccurredAtDecideWhenTheyAreKnown() {
        // the front door answered the fix late (after send + deadline), but it occurred 19 s after the first report
        ledger.firstReport("slow-door", 1_000, true);
        ledger.reportOccurred("slow-door", 9_000, false);
        ledger.fixAnswered("slow-door", 40_000);
        ledger.reportOccurred("slow-door", 28_000, true);
        ledger.signedOut("slow-door", 50_000);
        // fixed 21 s after its first report occurred: too late, a right sign-out
        ledger.firstReport("too-late", 1_000, true);
        ledger.reportOccurred("too-late", 2_000, false);
        ledger.reportOccurred("too-late", 23_000, true);
        ledger.fixAnswered("too-late", 15_000);
        ledger.signedOut("too-late", 30_000);
        assertThat(ledger.wrongSignOuts()).isEqualTo(1);
        assertThat(ledger.wrongSignOutsByOccurredAt()).isEqualTo(1);
        assertThat(ledger.fixedInTimeCount()).isEqualTo(1);
    }

    @Test
    void aFixAnsweredOnlyAtOrAfterTheDeadlineMakesTheSignOutRight() {
        ledger.firstReport("late-fix", 1_000, true);
        ledger.fixAnswered("late-fix", 21_000);
        ledger.signedOut("late-fix", 22_000);
        assertThat(ledger.wrongSignOuts()).isZero();
    }

    @Test
    void aSubjectThatNeverFixesIsSignedOutRightly() {
        ledger.firstReport("never", 1_000, false);
        ledger.signedOut("never", 22_000);
        ledger.firstReport("fixer", 1_000, true);
        ledger.fixAnswered("fixer", 10_000);
        ledger.restored("fixer", 12_000);
        assertThat(ledger.wrongSignOuts()).isZero();
        assertThat(ledger.rightSignOuts()).isEqualTo(1);
        assertThat(ledger.restoredCount()).isEqualTo(1);
    }

    @Test
    void drainedOnceEverySubjectHasItsOutcomeAtTheLastOne() {
        ledger.firstReport("a", 1_000, false);
        ledger.firstReport("b", 2_000, true);
        ledger.fixAnswered("b", 5_000);
        assertThat(ledger.drainedAt()).isEmpty();
        assertThat(ledger.unsettled()).isEqualTo(2);
        ledger.restored("b", 6_000);
        assertThat(ledger.drainedAt()).isEmpty();
        ledger.signedOut("a", 30_000);
        ledger.signedOut("a", 31_000); // a second sign-out changes nothing
        assertThat(ledger.drainedAt()).contains(30_000L);
        assertThat(ledger.startedAt()).contains(1_000L);
    }

    @Test
    void eventsOfSubjectsOutsideTheStormAreIgnored() {
        ledger.signedOut("stranger", 5_000);
        ledger.restored("stranger", 5_000);
        assertThat(ledger.subjects()).isZero();
        assertThat(ledger.drainedAt()).isEmpty();
    }
}
