package dev.bulwark.policy.signin;

import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.policy.directory.DirectoryState;
import dev.bulwark.policy.protection.AppProtectionSettings;
import dev.bulwark.policy.protection.ProtectedPlatform;
import dev.bulwark.policy.signin.PolicyCache.AppPolicy;
import dev.bulwark.policy.signin.SignInResponse.AccessRequirement;
import dev.bulwark.policy.signin.SignInResponse.AppliedPolicy;
import dev.bulwark.policy.signout.SignOutNotice;
import dev.bulwark.policy.signout.SignOutState;
import dev.bulwark.rules.Targeting;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides what a protected app gets at sign-in, from in-memory state only (policies, licences, groups, sign-outs,
 * PINs — all kept current by events and local writes): a standing sign-out first; then only targeted users are
 * subject; a targeted user without a licence gets no rules and is told when to ask again; otherwise the policies that
 * apply are merged (most restrictive wins) and the PIN decides the next step.
 *
 * <p>A sign-out stands until the account signs in with a token issued after the sign-out was required: that sign-in
 * clears it (and, after a selective wipe, the app's PIN must be set again). An unmanaged sign-out is for one app
 * instance: only sign-ins naming its registrationId see it, and only they clear it.
 */
@ApplicationScoped
public class SignInService {

    private final PolicyCache policies;
    private final DirectoryState directory;
    private final SignOutState signOuts;
    private final SignBackIn signBackIn;
    private final PinState pins;
    private final PinStore pinStore;
    private final SignInAnswers answers;
    private final Clock clock;
    private final Duration unlicensedCheckAgain;

    SignInService(
            PolicyCache policies,
            DirectoryState directory,
            SignOutState signOuts,
            SignBackIn signBackIn,
            PinState pins,
            PinStore pinStore,
            SignInAnswers answers,
            Clock clock,
            @ConfigProperty(name = "bulwark.policy.sign-in.unlicensed-check-again", defaultValue = "PT12H")
                    Duration unlicensedCheckAgain) {
        this.policies = policies;
        this.directory = directory;
        this.signOuts = signOuts;
        this.signBackIn = signBackIn;
        this.pins = pins;
        this.pinStore = pinStore;
        this.answers = answers;
        this.clock = clock;
        this.unlicensedCheckAgain = unlicensedCheckAgain;
    }

    /** Who signs in, with what, and when their token was issued (the moment they last signed in). */
    public record Attempt(
            String tenantId,
            String userId,
            String appId,
            String registrationId,
            Optional<ProtectedPlatform> platform,
            Optional<Instant> tokenIssuedAt) {

        String installation() {
            return registrationId == null ? "" : registrationId;
        }
    }

    public SignInResponse signIn(Attempt attempt) {
        return decide(attempt).response();
    }

    /**
     * The answer as JSON: the one remembered for this sign-in if nothing it depends on has changed, otherwise computed
     * (and remembered). Call from a worker thread: signing back in after a sign-out writes to the database.
     */
    public byte[] signInAsJson(Attempt attempt) {
        Optional<byte[]> current = answers.current(attempt);
        if (current.isPresent()) {
            return current.get();
        }
        // versions first, then the state: a change that lands meanwhile leaves this answer already out of date
        SignInAnswers.Versions versions = answers.versionsOf(attempt);
        Decision decision = decide(attempt);
        return answers.remember(attempt, versions, decision.tokenSensitive(), decision.response());
    }

    /** The remembered answer, if still current: what the event loop may serve without computing anything. */
    public Optional<byte[]> rememberedAnswer(Attempt attempt) {
        return answers.current(attempt);
    }

    /** An answer and whether it depended on the token's issue time (a sign-out stood for the account). */
    private record Decision(SignInResponse response, boolean tokenSensitive) {}

    private Decision decide(Attempt attempt) {
        List<SignOutNotice> standing =
                signOuts.standing(attempt.tenantId(), attempt.userId(), attempt.appId(), attempt.registrationId());
        for (SignOutNotice notice : standing) {
            if (!notice.satisfiedBy(attempt.tokenIssuedAt())) {
                return new Decision(signedOut(attempt, notice), true);
            }
        }
        if (!standing.isEmpty()) {
            signBackIn.signedBackIn(attempt.tenantId(), attempt.userId(), standing, clock.instant());
        }
        return new Decision(evaluate(attempt), !standing.isEmpty());
    }

    /**
     * Records that the user set a PIN of {@code length} for this app installation.
     *
     * @throws ProblemException 409 when no PIN is asked of this account here, 422 when the PIN is shorter than the
     *     effective policy's minimum
     */
    public SignInResponse pinSet(Attempt attempt, int length) {
        SignInResponse now = signIn(attempt);
        if (now.status() != SignInStatus.PROTECTED || !now.policy().pinRequired()) {
            throw ProblemException.conflict(
                    "No PIN is required of this account in app " + attempt.appId() + " (status " + now.status() + ").");
        }
        if (length < now.policy().pinMinimumLength()) {
            throw ProblemException.unprocessable(
                    "pinLength",
                    "must be at least " + now.policy().pinMinimumLength() + " (the effective policy's minimum), was "
                            + length);
        }
        pinStore.pinSet(
                attempt.tenantId(), attempt.userId(), attempt.appId(), attempt.installation(), length, clock.instant());
        return evaluate(attempt);
    }

    private SignInResponse evaluate(Attempt attempt) {
        Set<String> groups = directory.userGroupsOf(attempt.tenantId(), attempt.userId());
        List<AppPolicy> applying = new ArrayList<>(2);
        for (AppPolicy policy : policies.appPolicies(attempt.tenantId(), attempt.appId())) {
            boolean platformMatches =
                    attempt.platform().isEmpty() || attempt.platform().get() == policy.platform();
            if (platformMatches && Targeting.reachesUser(policy.targets(), groups)) {
                applying.add(policy);
            }
        }
        List<AccessRequirement> access = accessRequirements(attempt.tenantId(), groups);
        if (applying.isEmpty()) {
            return bare(attempt, SignInStatus.NOT_TARGETED, UserMessages.notTargeted(), access);
        }
        if (!directory.licensed(attempt.tenantId(), attempt.userId())) {
            return bare(attempt, SignInStatus.UNLICENSED, UserMessages.unlicensed(unlicensedCheckAgain), access);
        }
        AppProtectionSettings effective = policies.merge(applying);
        NextStep next = NextStep.CONTINUE;
        String message = UserMessages.protectedWithoutPin(effective);
        if (effective.pinRequired()) {
            Optional<Integer> pin =
                    pins.pinLength(attempt.tenantId(), attempt.userId(), attempt.appId(), attempt.installation());
            if (pin.isEmpty()) {
                next = NextStep.SET_PIN;
                message = UserMessages.setPin(effective);
            } else if (pin.get() < effective.pinMinimumLength()) {
                next = NextStep.SET_PIN;
                message = UserMessages.setNewPin(effective);
            } else {
                next = NextStep.ENTER_PIN;
                message = UserMessages.enterPin();
            }
        }
        List<AppliedPolicy> applied = applying.stream()
                .map(p -> new AppliedPolicy(p.id(), p.name(), p.version(), p.platform()))
                .toList();
        Duration checkAgain = effective.offlineGracePeriodBeforeAccessCheck();
        return new SignInResponse(
                attempt.userId(),
                attempt.appId(),
                attempt.registrationId(),
                SignInStatus.PROTECTED,
                next,
                message,
                effective,
                applied,
                access,
                checkAgain,
                clock.instant().plus(checkAgain),
                null);
    }

    private List<AccessRequirement> accessRequirements(String tenantId, Set<String> groups) {
        List<AccessRequirement> access = new ArrayList<>();
        for (PolicyCache.AccessRule rule : policies.accessRules(tenantId)) {
            if (Targeting.reachesUser(rule.targets(), groups)) {
                access.add(new AccessRequirement(
                        rule.id(),
                        rule.name(),
                        rule.version(),
                        rule.body().resources(),
                        rule.body().require(),
                        rule.body().operator()));
            }
        }
        return access;
    }

    private SignInResponse bare(Attempt attempt, SignInStatus status, String message, List<AccessRequirement> access) {
        return new SignInResponse(
                attempt.userId(),
                attempt.appId(),
                attempt.registrationId(),
                status,
                NextStep.CONTINUE,
                message,
                null,
                List.of(),
                access,
                unlicensedCheckAgain,
                clock.instant().plus(unlicensedCheckAgain),
                null);
    }

    private SignInResponse signedOut(Attempt attempt, SignOutNotice notice) {
        return new SignInResponse(
                attempt.userId(),
                attempt.appId(),
                attempt.registrationId(),
                SignInStatus.SIGNED_OUT,
                NextStep.SIGN_IN_AGAIN,
                UserMessages.signedOut(notice.userMessage()),
                null,
                List.of(),
                List.of(),
                null,
                null,
                new SignInResponse.SignOut(
                        notice.reason(), notice.requiredAt(), notice.selectiveWipe(), notice.subjectId()));
    }
}
