package dev.bulwark.policy.bench;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.TestEvents;
import java.time.Instant;

/**
 * For the sign-in benchmark only: publishes a licence and a group membership on bulwark.directory.v1 as
 * device-registry would, so the benchmark needs no other service. Arguments: bootstrap tenant userId groupId.
 */
public final class SeedDirectory {

    private SeedDirectory() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        String tenant = args[1];
        String user = args[2];
        String group = args[3];
        TestEvents.publish(
                bootstrap,
                Topics.DIRECTORY,
                user,
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setUserId(user)
                        .setLicensed(true)
                        .setSku("BULWARK_E3")
                        .build());
        TestEvents.publish(
                bootstrap,
                Topics.DIRECTORY,
                user,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId(group)
                        .setGroupKind(GroupKind.USER)
                        .setMemberId(user)
                        .setChange(MembershipChange.ADDED)
                        .build());
    }
}
