package dev.bulwark.kit.security;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;

/**
 * Every service's bearer-token verification: smallrye-jwt's own (signature, issuer, audience, times), done once per
 * token and then answered from {@link VerifiedTokens} until the token ends or the verification keys change.
 *
 * <p>It replaces smallrye-jwt's {@link JWTCallerPrincipalFactory} (a CDI alternative, the extension point Quarkus
 * documents for custom token parsing), so every path that verifies a token — the HTTP authentication mechanism through
 * {@code JWTParser}, and any direct use of the parser — goes through it, and it sees the {@link JWTAuthContextInfo}
 * each token is verified with: a change of key, key location, issuer, audience or algorithm drops every cached token
 * before the next verification. A key source that rotates keys without changing that configuration (a JWKS refresh)
 * fires {@link VerificationKeysRotated}.
 *
 * <p>Three kinds of token are verified: device credentials ({@link DeviceCredentials}, issued by device-registry at
 * enrollment), the local key pair's ({@code mp.jwt.verify.*}, the zero-setup default) and, when
 * {@code bulwark.oidc.issuers} names any, people's tokens from their organisation's OIDC provider ({@link OidcIssuers}):
 * a token whose unverified {@code iss} is a configured issuer is verified with that issuer's JWKS key, audience and
 * algorithms, and its claims mapped to Bulwark's; every other token takes the local path, which refuses any issuer but
 * the local one. All three end in smallrye-jwt's verification and share the cache in front of it.
 *
 * <p>Why this stays on smallrye-jwt rather than moving to quarkus-oidc's multi-tenancy: the verified-token cache and
 * policy-service's sign-in answered from memory sit on this factory, and would be bypassed by quarkus-oidc's own
 * verification; the local key pair (and the device credentials it will sign) stays on smallrye-jwt anyway, so two
 * authentication mechanisms would have to be arbitrated per request; quarkus-oidc picks a tenant configuration by
 * request (path, header, resolver) where Bulwark needs it by the token's issuer; and claim mapping to Bulwark's
 * {@code tenant_id} / {@code groups} would still be Bulwark code. Here the only new parts are key fetching
 * ({@link IssuerKeys}) and the mapping ({@link ClaimMapping}); signature, issuer, audience and time checks remain
 * smallrye-jwt's. (quarkus-oidc is also not in this build's offline repository.)
 *
 * <p>A {@code @Singleton} (no client proxy) with a public no-argument constructor, because smallrye-jwt's parser makes
 * a fresh instance of the factory's class for a call that brings its own key configuration.
 */
@Singleton
@Alternative
@Priority(1)
@Unremovable
public class CachingTokenVerifier extends JWTCallerPrincipalFactory {

    /** Maximum number of verified tokens kept per service instance. */
    public static final String MAX_SIZE = "bulwark.jwt.verified-cache.max-size";
    /** {@code false} verifies every token in full on every call. */
    public static final String ENABLED = "bulwark.jwt.verified-cache.enabled";

    private final JWTCallerPrincipalFactory verifier;
    private final OidcIssuers issuers;
    private final DeviceCredentials devices;
    private final VerifiedTokens cache;
    private final boolean enabled;
    /** The token age the service's verification enforces (mp.jwt.verify.token.age), as last seen. */
    private volatile Optional<Long> tokenAge = Optional.empty();

    private final java.util.concurrent.atomic.AtomicLong verifications = new java.util.concurrent.atomic.AtomicLong();

    public CachingTokenVerifier() {
        this(
                new SmallRyeVerification(),
                OidcIssuers.shared(ConfigProvider.getConfig()),
                DeviceCredentials.shared(ConfigProvider.getConfig()),
                ConfigProvider.getConfig()
                        .getOptionalValue(MAX_SIZE, Long.class)
                        .orElse(20_000L),
                ConfigProvider.getConfig()
                        .getOptionalValue(ENABLED, Boolean.class)
                        .orElse(true),
                Clock.systemUTC());
    }

    CachingTokenVerifier(JWTCallerPrincipalFactory verifier, long maxSize, boolean enabled, Clock clock) {
        this(verifier, OidcIssuers.none(), maxSize, enabled, clock);
    }

    CachingTokenVerifier(
            JWTCallerPrincipalFactory verifier, OidcIssuers issuers, long maxSize, boolean enabled, Clock clock) {
        this(
                verifier,
                issuers,
                new DeviceCredentials(
                        DeviceCredentials.DEFAULT_ISSUER, DeviceCredentials.DEFAULT_AUDIENCE, Optional.empty()),
                maxSize,
                enabled,
                clock);
    }

    CachingTokenVerifier(
            JWTCallerPrincipalFactory verifier,
            OidcIssuers issuers,
            DeviceCredentials devices,
            long maxSize,
            boolean enabled,
            Clock clock) {
        this.verifier = verifier;
        this.issuers = issuers;
        this.devices = devices;
        this.cache = new VerifiedTokens(maxSize, clock);
        this.enabled = enabled;
    }

    /**
     * Reads (and checks) the OIDC issuers' and the device credentials' settings and starts fetching their keys when
     * the service starts, not at its first request: a wrong setting stops the start with a message naming it.
     */
    void started(@Observes StartupEvent started) {
        // constructing this singleton did it
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
        if (!enabled) {
            return verify(token, info);
        }
        tokenAge = Optional.ofNullable(info.getTokenAge());
        return cache.verified(token, VerificationSettings.of(info), tokenAge, t -> verify(t, info));
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo info) throws ParseException {
        verifications.incrementAndGet();
        if (issuers.isEmpty() && !devices.hasKeys()) {
            // nothing to dispatch to by iss: every token takes the local path, which refuses any other issuer
            return verifier.parse(token, info);
        }
        Optional<OidcIssuers.UnverifiedToken> claimed = OidcIssuers.UnverifiedToken.peek(token);
        if (claimed.isPresent() && devices.handles(claimed.get().issuer())) {
            return devices.verify(token, claimed.get(), info);
        }
        if (claimed.isPresent() && issuers.handles(claimed.get().issuer())) {
            return issuers.verify(token, claimed.get(), info);
        }
        // the local key pair's tokens, and every token of an issuer not configured (refused here: wrong issuer)
        return verifier.parse(token, info);
    }

    /** How many tokens were verified in full (signature included) since start, cached or not. */
    public long verifications() {
        return verifications.get();
    }

    void rotated(@Observes VerificationKeysRotated rotated) {
        cache.keysChanged();
    }

    /**
     * The principal of {@code token} if it was verified in full before, under the keys in force, and has not ended —
     * without verifying anything: for a fast path that answers only what is already known and hands everything else
     * to the ordinary authentication.
     */
    public Optional<JsonWebToken> alreadyVerified(String token) {
        return enabled ? cache.alreadyVerified(token).map(JsonWebToken.class::cast) : Optional.empty();
    }

    /**
     * Keeps a credential this service has just signed itself (device-registry's device and app-instance credentials)
     * as verified, so the device's first call with it skips the ES256 check (2.6–3.3 ms under the launcher's C1-only
     * JIT, measured; a join storm of 10,000 paid it once per join). Only for tokens this JVM signed, with the claims it
     * signed: they are taken as they are, neither verified nor parsed from the token again. They become the cached
     * principal's ({@code raw_token} is added, and smallrye-jwt converts their values to JSON types), so the signer
     * hands them over and does not use them afterwards. Another replica verifies the credential in full at its first use
     * there.
     */
    public void rememberIssued(String token, JwtClaims claims) {
        if (!enabled) {
            return;
        }
        try {
            claims.setClaim(Claims.raw_token.name(), token);
            cache.remember(token, new SmallRyeVerification.VerifiedPrincipal("JWT", claims), tokenAge);
        } catch (RuntimeException e) {
            // not kept (the signer's credential is issued all the same): its first use verifies it in full
        }
    }

    /** The cache, for metrics and tests. */
    public VerifiedTokens cache() {
        return cache;
    }

    /**
     * Everything in smallrye-jwt's verification configuration that decides whether a token is accepted; two equal
     * values verify the same tokens the same way.
     */
    record VerificationSettings(List<Object> values) {
        static VerificationSettings of(JWTAuthContextInfo info) {
            return new VerificationSettings(java.util.Arrays.asList(
                    info.getPublicVerificationKey(),
                    info.getSecretVerificationKey(),
                    info.getPublicKeyLocation(),
                    info.getPublicKeyContent(),
                    info.getSecretKeyContent(),
                    info.getDecryptionKeyLocation(),
                    info.getDecryptionKeyContent(),
                    info.getPrivateDecryptionKey(),
                    info.getSecretDecryptionKey(),
                    info.getKeyProvider(),
                    info.getKeyFormat(),
                    info.getTokenKeyId(),
                    info.getIssuedBy(),
                    info.getExpectedAudience(),
                    info.getSignatureAlgorithm(),
                    info.getRequiredClaims(),
                    info.getTokenAge(),
                    info.getMaxTimeToLiveSecs(),
                    info.isRequireNamedPrincipal(),
                    info.getDefaultSubjectClaim(),
                    info.getSubjectPath(),
                    info.getDefaultGroupsClaim(),
                    info.getGroupsPath(),
                    info.getGroupsSeparator()));
        }

        VerificationSettings {
            Objects.requireNonNull(values);
        }
    }
}
