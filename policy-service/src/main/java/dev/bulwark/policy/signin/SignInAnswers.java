package dev.bulwark.policy.signin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Interner;
import dev.bulwark.policy.protection.ProtectedPlatform;
import dev.bulwark.policy.support.SignInVersions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-in answers already rendered as JSON, per tenant, user, app, installation and platform, so a repeat sign-in is
 * answered from memory on the event loop. Each answer carries the versions of the tenant's policies and of the
 * account's state (licence, groups, sign-outs, PINs) it was computed from ({@link SignInVersions}): any change since
 * makes it a miss, which the caller answers by computing and remembering it again. An answer given while a sign-out
 * stood depends on the token's issue time, so it serves only sign-ins with a token issued in the same second.
 *
 * <p>Memory: the part every user of a policy shares (status, message, policy, rules) is kept once (interned, weakly);
 * each entry holds its own key and the few bytes naming the user, app and installation. Bounded by
 * {@code bulwark.policy.sign-in.answers.max-size} entries (least recently used go first).
 */
@ApplicationScoped
public class SignInAnswers {

    private static final long ANY_TOKEN = Long.MIN_VALUE;
    private static final byte[] CHECK_AGAIN_AT = ",\"checkAgainAt\":\"".getBytes(StandardCharsets.US_ASCII);

    private final SignInVersions versions;
    private final ObjectMapper json;
    private final Clock clock;
    private final Cache<Key, Answer> answers;
    private final Interner<Shared> shared = Interner.newWeakInterner();
    private final AtomicLong computed = new AtomicLong();

    SignInAnswers(
            SignInVersions versions,
            ObjectMapper json,
            Clock clock,
            @ConfigProperty(name = "bulwark.policy.sign-in.answers.max-size", defaultValue = "100000") long maxSize) {
        this.versions = versions;
        this.json = json;
        this.clock = clock;
        this.answers = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    /** Who signs in where: what an answer is kept per. */
    record Key(String tenantId, String userId, String appId, String registrationId, ProtectedPlatform platform) {
        static Key of(SignInService.Attempt attempt) {
            return new Key(
                    attempt.tenantId(),
                    attempt.userId(),
                    attempt.appId(),
                    attempt.registrationId(),
                    attempt.platform().orElse(null));
        }
    }

    /** The versions an answer is computed from, read before computing it. */
    public record Versions(long tenant, long account) {}

    /** The current versions of what {@code attempt}'s answer depends on. */
    public Versions versionsOf(SignInService.Attempt attempt) {
        return new Versions(
                versions.tenant(attempt.tenantId()), versions.account(attempt.tenantId(), attempt.userId()));
    }

    /** The current answer for {@code attempt} as JSON, if one is remembered and nothing it depends on has changed. */
    public Optional<byte[]> current(SignInService.Attempt attempt) {
        Key key = Key.of(attempt);
        Answer answer = answers.getIfPresent(key);
        if (answer == null
                || answer.tenantVersion != versions.tenant(key.tenantId())
                || answer.accountVersion != versions.account(key.tenantId(), key.userId())
                || (answer.issuedAt != ANY_TOKEN && answer.issuedAt != issuedAt(attempt))) {
            return Optional.empty();
        }
        return Optional.of(answer.render(clock));
    }

    /**
     * Remembers {@code response}, computed from state at {@code computedFrom} (read before computing), and returns it
     * as JSON. {@code tokenSensitive}: the answer depended on the token's issue time (a sign-out stood).
     */
    public byte[] remember(
            SignInService.Attempt attempt, Versions computedFrom, boolean tokenSensitive, SignInResponse response) {
        Answer answer = new Answer(
                identity(response),
                shared.intern(new Shared(common(response))),
                response.checkAgainAfter(),
                computedFrom.tenant(),
                computedFrom.account(),
                tokenSensitive ? issuedAt(attempt) : ANY_TOKEN);
        answers.put(Key.of(attempt), answer);
        computed.incrementAndGet();
        return answer.render(clock);
    }

    /** How many answers were computed (misses) since start. */
    public long computed() {
        return computed.get();
    }

    /** How many answers are kept now. */
    public long size() {
        answers.cleanUp();
        return answers.estimatedSize();
    }

    /** Forgets every answer (tests). */
    void clear() {
        answers.invalidateAll();
    }

    private static long issuedAt(SignInService.Attempt attempt) {
        return attempt.tokenIssuedAt().map(java.time.Instant::getEpochSecond).orElse(-1L);
    }

    /** {@code {"userId":…,"appId":…,"registrationId":…} without its closing brace. */
    private byte[] identity(SignInResponse response) {
        byte[] bytes = write(new Identity(response.userId(), response.appId(), response.registrationId()));
        return Arrays.copyOf(bytes, bytes.length - 1);
    }

    /** The rest of the answer, without its braces and without checkAgainAt (it moves with the clock). */
    private byte[] common(SignInResponse r) {
        byte[] bytes = write(new SignInResponse(
                null,
                null,
                null,
                r.status(),
                r.nextStep(),
                r.message(),
                r.policy(),
                r.appliedPolicies(),
                r.conditionalAccess(),
                r.checkAgainAfter(),
                null,
                r.signOut()));
        return Arrays.copyOfRange(bytes, 1, bytes.length - 1);
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not render a sign-in answer", e);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Identity(String userId, String appId, String registrationId) {}

    /** The part of an answer that every user with the same policies and state shares; compared by content. */
    private record Shared(byte[] bytes, int hash) {
        Shared(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shared s && s.hash == hash && Arrays.equals(s.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Answer(
            byte[] identity,
            Shared shared,
            Duration checkAgainAfter,
            long tenantVersion,
            long accountVersion,
            long issuedAt) {

        /** The answer's JSON, with checkAgainAt as of now. */
        byte[] render(Clock clock) {
            byte[] at = checkAgainAfter == null ? null : CheckAgainAt.render(clock, checkAgainAfter);
            byte[] common = shared.bytes();
            int length = identity.length + (common.length == 0 ? 0 : 1 + common.length) + 1;
            if (at != null) {
                length += CHECK_AGAIN_AT.length + at.length + 1;
            }
            byte[] out = new byte[length];
            int i = 0;
            System.arraycopy(identity, 0, out, i, identity.length);
            i += identity.length;
            if (common.length > 0) {
                out[i++] = ',';
                System.arraycopy(common, 0, out, i, common.length);
                i += common.length;
            }
            if (at != null) {
                System.arraycopy(CHECK_AGAIN_AT, 0, out, i, CHECK_AGAIN_AT.length);
                i += CHECK_AGAIN_AT.length;
                System.arraycopy(at, 0, out, i, at.length);
                i += at.length;
                out[i++] = '"';
            }
            out[i] = '}';
            return out;
        }
    }

    /**
     * {@code checkAgainAt} as of now, to the millisecond: the text of the last one rendered is reused while the clock
     * stays in the same millisecond (thousands of sign-ins a second share it; formatting an Instant was a quarter of
     * an answer from memory's cost under the launcher's C1-only JIT).
     */
    static final class CheckAgainAt {
        private record Rendered(long epochMilli, Duration after, byte[] text) {}

        private static volatile Rendered last = new Rendered(Long.MIN_VALUE, Duration.ZERO, new byte[0]);

        private CheckAgainAt() {}

        static byte[] render(Clock clock, Duration after) {
            long now = clock.millis();
            Rendered rendered = last;
            if (rendered.epochMilli() != now || !rendered.after().equals(after)) {
                byte[] text = java.time.Instant.ofEpochMilli(now)
                        .plus(after)
                        .toString()
                        .getBytes(StandardCharsets.US_ASCII);
                rendered = new Rendered(now, after, text);
                last = rendered;
            }
            return rendered.text();
        }
    }
}
