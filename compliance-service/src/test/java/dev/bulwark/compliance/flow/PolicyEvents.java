package dev.bulwark.compliance.flow;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.Target;
import dev.bulwark.events.TargetKind;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds and publishes, for one tenant, the directory events of device-registry and the policies of policy-service. */
final class PolicyEvents {

    final String tenantId;

    PolicyEvents(String tenantId) {
        this.tenantId = tenantId;
    }

    UserLicenseChanged licence(String userId, boolean licensed) {
        UserLicenseChanged event = licenceChange(userId, licensed);
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY, userId, event);
        return event;
    }

    /** The licence change, not yet published. */
    UserLicenseChanged licenceChange(String userId, boolean licensed) {
        return UserLicenseChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setUserId(userId)
                .setLicensed(licensed)
                .setSku(licensed ? "BULWARK_E3" : null)
                .build();
    }

    GroupMembershipChanged member(String groupId, GroupKind kind, String memberId, MembershipChange change) {
        GroupMembershipChanged event = membershipChange(groupId, kind, memberId, change);
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY, memberId, event);
        return event;
    }

    /** The membership change, not yet published. */
    GroupMembershipChanged membershipChange(String groupId, GroupKind kind, String memberId, MembershipChange change) {
        return GroupMembershipChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setGroupId(groupId)
                .setGroupKind(kind)
                .setMemberId(memberId)
                .setChange(change)
                .build();
    }

    PolicyChanged policy(
            String policyId,
            PolicyKind kind,
            long version,
            Platform platform,
            List<Target> targets,
            String settingsJson) {
        PolicyChanged event = PolicyChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setPolicyId(policyId)
                .setPolicyKind(kind)
                .setChange(version == 1 ? ChangeKind.CREATED : ChangeKind.UPDATED)
                .setVersion(version)
                .setName("policy " + policyId)
                .setPlatform(platform)
                .setTargets(targets)
                .setSettingsJson(settingsJson)
                .build();
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES, policyId, event);
        return event;
    }

    /** An app protection policy for the mail app on iOS. */
    PolicyChanged appProtection(String policyId, long version, List<Target> targets, String settings) {
        return policy(
                policyId,
                PolicyKind.APP_PROTECTION,
                version,
                Platform.IOS,
                targets,
                "{\"appIds\": [\"" + AppInstanceEvents.MAIL + "\"], \"settings\": " + settings + "}");
    }

    /**
     * A conditional-access rule as policy-service publishes it: settings {@code {resources, require, operator,
     * enabled}}, no platform.
     */
    PolicyChanged conditionalAccess(
            String ruleId,
            long version,
            List<Target> targets,
            List<String> resources,
            List<String> grants,
            String operator,
            boolean enabled) {
        String settings = "{\"resources\": " + quoted(resources) + ", \"require\": " + quoted(grants)
                + ", \"operator\": \"" + operator + "\", \"enabled\": " + enabled + "}";
        return policy(ruleId, PolicyKind.CONDITIONAL_ACCESS, version, null, targets, settings);
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** The directory's account change: disabled or enabled again. */
    UserAccountChanged account(String userId, boolean enabled) {
        UserAccountChanged event = UserAccountChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setUserId(userId)
                .setEnabled(enabled)
                .build();
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY, userId, event);
        return event;
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Target allUsers() {
        return Target.newBuilder()
                .setKind(TargetKind.ALL_USERS)
                .setGroupId(null)
                .setExcluded(false)
                .build();
    }

    static Target userGroup(String groupId, boolean excluded) {
        return Target.newBuilder()
                .setKind(TargetKind.USER_GROUP)
                .setGroupId(groupId)
                .setExcluded(excluded)
                .build();
    }
}
