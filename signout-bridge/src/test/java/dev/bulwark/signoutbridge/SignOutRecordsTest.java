package dev.bulwark.signoutbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bridge reads what Bulwark's own encoder writes, with nothing but the bundled {@code .avsc} files. */
class SignOutRecordsTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00.123Z");

    private final SignOutRecords records = SignOutRecords.published();

    static SignOutRequired signOut(String user, List<String> apps) {
        return SignOutRequired.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(AT)
                .setTenantId("demo")
                .setUserId(user)
                .setSubjectId("device-1")
                .setManagementType(ManagementType.MANAGED)
                .setAppIds(apps)
                .setReason(SignOutReason.REMEDIATION_DISABLED)
                .setUserMessage("Your organization requires you to sign back in.")
                .build();
    }

    @Test
    void aSignOutRequiredEncodedByBulwarkIsReadWithEveryFieldTheBridgeNeeds() throws Exception {
        SignOutRequired event = signOut("alice", List.of("com.contoso.mail"));

        SignOut read = records.read(EventCodec.encode(event));

        assertThat(read)
                .isEqualTo(new SignOut(
                        event.getEventId(), AT, "demo", "alice", List.of("com.contoso.mail"), "REMEDIATION_DISABLED"));
        assertThat(read.namesApps()).isTrue();
    }

    @Test
    void bytesThatAreNotTheSingleObjectEncodingAreUnreadable() {
        assertThatThrownBy(() -> records.read("{\"userId\":\"alice\"}".getBytes()))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("single-object");
        assertThatThrownBy(() -> records.read(new byte[0])).isInstanceOf(UnreadableRecordException.class);
    }

    @Test
    void anotherEventTypeIsASchemaTheBridgeDoesNotKnow() {
        DeviceRetired retired = DeviceRetired.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(AT)
                .setTenantId("demo")
                .setDeviceId("device-1")
                .setUserId("alice")
                .setReason(RetirementReason.ADMIN)
                .build();

        assertThatThrownBy(() -> records.read(EventCodec.encode(retired)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("does not know");
    }

    @Test
    void aTruncatedBodyIsUnreadable() {
        byte[] whole = EventCodec.encode(signOut("alice", List.of()));

        assertThatThrownBy(() -> records.read(Arrays.copyOf(whole, 14))).isInstanceOf(UnreadableRecordException.class);
    }
}
