package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.RuleViolation;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeTest {

    static java.util.List<SpecificRecord> everyEvent() {
        return SampleEvents.full();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void theEnvelopeIsReadFromEveryEventType(SpecificRecord event) {
        assertThat(Envelope.eventId(event)).matches("[0-9a-f-]{36}");
        assertThat(Envelope.tenantId(event)).isEqualTo(SampleEvents.TENANT);
        assertThat(Envelope.occurredAt(event)).isEqualTo(SampleEvents.OCCURRED_AT);
        assertThat(Envelope.key(event)).isNotBlank();
    }

    @Test
    void theKeyIsTheFieldTheSchemaNames() {
        ComplianceFailed failed = SampleEvents.full(ComplianceFailed.class);
        GroupMembershipChanged membership = SampleEvents.full(GroupMembershipChanged.class);

        assertThat(Envelope.key(failed)).isEqualTo(failed.getSubjectId());
        assertThat(Envelope.key(membership)).isEqualTo(membership.getMemberId());
    }

    @Test
    void newEventIdsAreRandomUuids() {
        String one = Envelope.newEventId();

        assertThat(UUID.fromString(one).version()).isEqualTo(4);
        assertThat(one).isNotEqualTo(Envelope.newEventId());
    }

    @Test
    void aRecordWithoutAnEnvelopeIsRefusedWithItsName() {
        RuleViolation notAnEvent = RuleViolation.newBuilder()
                .setRule("r")
                .setExpected("e")
                .setActual("a")
                .build();

        assertThatThrownBy(() -> Envelope.eventId(notAnEvent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RuleViolation");
        assertThatThrownBy(() -> Envelope.key(notAnEvent)).isInstanceOf(IllegalArgumentException.class);
    }
}
