package dev.bulwark.compliance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.policy.SubjectFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatchFactsTest {

    @Test
    void anIdTheBatchLookedForWithoutFindingARowIsKnownToBeNew() {
        BatchFacts.Rows<String> rows = new BatchFacts.Rows<>();

        rows.locked("t1", List.of("a", "b"), List.of("a"), Function.identity());

        assertThat(rows.knows("t1", "a")).isTrue();
        assertThat(rows.get("t1", "a")).contains("a");
        assertThat(rows.knows("t1", "b")).as("looked for, no row: new").isTrue();
        assertThat(rows.get("t1", "b")).isEmpty();
    }

    @Test
    void anIdTheBatchDidNotLookForIsUnknownSoItsRowIsQueried() {
        BatchFacts.Rows<String> rows = new BatchFacts.Rows<>();

        rows.locked("t1", List.of("a"), List.of("a"), Function.identity());

        assertThat(rows.knows("t1", "c")).isFalse();
        assertThat(rows.knows("t2", "a")).as("another tenant's id").isFalse();
    }

    @Test
    void aRowCreatedInTheBatchIsHeldForTheRestOfIt() {
        BatchFacts.Rows<String> rows = new BatchFacts.Rows<>();

        rows.add("t1", "b", "row b");

        assertThat(rows.knows("t1", "b")).isTrue();
        assertThat(rows.get("t1", "b")).contains("row b");
    }

    @Test
    void aUsersFactsAreTheirGroupsLicenceAndAccountState() {
        BatchFacts batch = BatchFacts.empty();

        batch.directoryRead(
                "t1",
                List.of("alice", "bob"),
                Map.of("alice", Set.of("sales")),
                List.of("alice", "bob"),
                Set.of("alice"),
                Set.of("bob"));

        assertThat(batch.factsOfUser("t1", "alice")).contains(new SubjectFacts(Set.of("sales"), Set.of(), true, false));
        assertThat(batch.factsOfUser("t1", "bob")).contains(new SubjectFacts(Set.of(), Set.of(), false, true));
        assertThat(batch.factsOfUser("t1", "carol")).as("not read").isEmpty();
        assertThat(batch.factsOfUser("t2", "alice")).as("another tenant's user").isEmpty();
    }

    @Test
    void aMemberReadForItsGroupsOnlyHasNoUserFacts() {
        BatchFacts batch = BatchFacts.empty();

        batch.directoryRead("t1", List.of("alice"), Map.of(), List.of(), Set.of(), Set.of());

        assertThat(batch.holdsGroupsOf("t1", List.of("alice"))).isTrue();
        assertThat(batch.factsOfUser("t1", "alice")).as("licence not read").isEmpty();
    }

    @Test
    void aDevicesFactsAreItsPrimaryUsersGroupsAndItsOwn() {
        BatchFacts batch = BatchFacts.empty();

        batch.directoryRead(
                "t1",
                List.of("device-1", "alice"),
                Map.of("device-1", Set.of("kiosks"), "alice", Set.of("sales")),
                List.of(),
                Set.of(),
                Set.of());

        assertThat(batch.factsOfDevice("t1", "device-1", "alice"))
                .contains(new SubjectFacts(Set.of("sales"), Set.of("kiosks"), false));
        assertThat(batch.factsOfDevice("t1", "device-1", "bob"))
                .as("the user's groups not read")
                .isEmpty();
    }

    @Test
    void policiesAreKeptPerTenantOnceRead() {
        BatchFacts batch = BatchFacts.empty();

        batch.appProtectionRead("t1", List.of());

        assertThat(batch.appProtectionOf("t1")).contains(List.of());
        assertThat(batch.appProtectionOf("t2")).isEmpty();
        assertThat(batch.deviceComplianceOf("t1")).isEmpty();
    }
}
