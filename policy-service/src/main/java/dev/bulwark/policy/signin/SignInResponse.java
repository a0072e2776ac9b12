package dev.bulwark.policy.signin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.policy.access.Grant;
import dev.bulwark.policy.access.GrantOperator;
import dev.bulwark.policy.protection.AppProtectionSettings;
import dev.bulwark.policy.protection.ProtectedPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a protected app's sign-in: the account's status, the next step, the message to show, the effective
 * (most restrictive) policy with the policies it comes from, the conditional-access rules that concern the user, and
 * when to ask again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignInResponse(
        String userId,
        String appId,
        String registrationId,
        SignInStatus status,
        NextStep nextStep,
        String message,
        AppProtectionSettings policy,
        List<AppliedPolicy> appliedPolicies,
        List<AccessRequirement> conditionalAccess,
        Duration checkAgainAfter,
        Instant checkAgainAt,
        SignOut signOut) {

    /** A policy that contributed to the effective policy. */
    public record AppliedPolicy(String id, String name, long version, ProtectedPlatform platform) {}

    /** A conditional-access rule that applies to the user. */
    public record AccessRequirement(
            String ruleId,
            String name,
            long version,
            List<String> resources,
            List<Grant> require,
            GrantOperator operator) {}

    /** Why the account must sign in again. */
    public record SignOut(String reason, Instant requiredAt, boolean selectiveWipe, String subjectId) {}
}
