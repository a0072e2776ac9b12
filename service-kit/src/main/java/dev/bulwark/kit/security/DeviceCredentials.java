package dev.bulwark.kit.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * The credentials Bulwark itself issues to enrolled devices (MDM) and registered app instances (MAM): ES256 tokens
 * signed by device-registry's device key, which it publishes as a JWKS. Every service accepts them; this is their verification.
 *
 * <p>A token whose (unverified) {@code iss} is {@value #ISSUER}'s value comes here. Its key is looked up by {@code kid}
 * among the keys the signing service registered in this JVM ({@link #useOwnKeys}, device-registry's own) and else in
 * the JWKS at {@value #JWKS_URI} (the other services, fetched with {@link IssuerKeys}: at start and every
 * {@value #REFRESH_INTERVAL}, and when a {@code kid} is unknown, at most once per {@value #MIN_REFRESH_INTERVAL}; a key
 * the JWKS no longer lists is dropped, and with it every cached verification, as for an OIDC issuer's keys).
 * smallrye-jwt then checks signature, issuer, audience and times, and the claims must have a device credential's shape
 * — the {@code device} role and nothing else, {@code device_id} equal to {@code sub}, a {@code tenant_id} — so the
 * device key can never stand in for an admin's or a user's token.
 *
 * <p>Revocation: device-registry refuses a retired device's credential at once (it reads the device's row on every
 * call that acts for the device); the other services learn of the retirement from DeviceRetired, and the credential's
 * short life ({@code bulwark.device-credentials.ttl}) bounds what is left.
 */
public final class DeviceCredentials implements AutoCloseable {

    /** The {@code iss} of device credentials; must differ from the local key pair's and every OIDC issuer's. */
    public static final String ISSUER = "bulwark.device-credentials.issuer";
    /** The {@code aud} of device credentials. */
    public static final String AUDIENCE = "bulwark.device-credentials.audience";
    /** Where a service that does not sign device credentials fetches their keys (device-registry's JWKS). */
    public static final String JWKS_URI = "bulwark.device-credentials.jwks-uri";
    /** The least time between two JWKS fetches caused by credentials naming a key id not known yet. */
    public static final String MIN_REFRESH_INTERVAL = "bulwark.device-credentials.jwks.min-refresh-interval";
    /** How often the JWKS is fetched again even when no unknown key id was seen (a removed key is noticed so). */
    public static final String REFRESH_INTERVAL = "bulwark.device-credentials.jwks.refresh-interval";

    public static final String DEFAULT_ISSUER = "https://bulwark.local/device-credentials";
    public static final String DEFAULT_AUDIENCE = "bulwark-device";
    /** The only algorithm of device credentials. */
    public static final String ALGORITHM = "ES256";

    private static final Map<Settings, DeviceCredentials> SHARED = new ConcurrentHashMap<>();
    /** The keys of the service that signs device credentials, by kid (device-registry registers its own). */
    private static volatile Map<String, PublicKey> ownKeys = Map.of();

    private final String issuer;
    private final String audience;
    private final Optional<IssuerKeys> published;
    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    private volatile ScheduledExecutorService refresher;

    DeviceCredentials(String issuer, String audience, Optional<IssuerKeys> published) {
        this.issuer = issuer;
        this.audience = audience;
        this.published = published;
    }

    /**
     * The settings {@code config} names, one instance per distinct setting in this JVM (keys fetched once), started;
     * a removed key is announced as a CDI event while a container runs ({@link IssuerKeys#announce}).
     */
    static DeviceCredentials shared(Config config) {
        return SHARED.computeIfAbsent(Settings.fromConfig(config), settings -> settings.started(IssuerKeys::announce));
    }

    /**
     * A new instance for the settings {@code config} names, started, its removed keys told to {@code rotated} (for
     * tests, which have no CDI container to receive {@link #shared}'s announcement).
     */
    static DeviceCredentials started(Config config, Consumer<VerificationKeysRotated> rotated) {
        return Settings.fromConfig(config).started(rotated);
    }

    /** What {@code config} says about device credentials, checked. */
    private record Settings(String issuer, String audience, Optional<URI> jwksUri, OidcIssuerSettings.Timing timing) {

        static Settings fromConfig(Config config) {
            String issuer = config.getOptionalValue(ISSUER, String.class).orElse(DEFAULT_ISSUER);
            String audience = config.getOptionalValue(AUDIENCE, String.class).orElse(DEFAULT_AUDIENCE);
            Optional<String> jwks =
                    config.getOptionalValue(JWKS_URI, String.class).filter(s -> !s.isBlank());
            Duration refresh = config.getOptionalValue(REFRESH_INTERVAL, Duration.class)
                    .orElse(OidcIssuerSettings.Timing.DEFAULT.refreshInterval());
            Duration minRefresh = config.getOptionalValue(MIN_REFRESH_INTERVAL, Duration.class)
                    .orElse(Duration.ofSeconds(2));
            String localIssuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class)
                    .orElse("");
            if (issuer.equals(localIssuer)) {
                throw new IllegalArgumentException(
                        ISSUER + ": must differ from the local key pair's issuer (mp.jwt.verify.issuer)");
            }
            if (refresh.isZero() || refresh.isNegative()) {
                throw new IllegalArgumentException(REFRESH_INTERVAL + ": must be positive");
            }
            OidcIssuerSettings.Timing timing =
                    new OidcIssuerSettings.Timing(refresh, minRefresh, OidcIssuerSettings.Timing.DEFAULT.httpTimeout());
            return new Settings(issuer, audience, jwks.map(uri -> OidcIssuerSettings.uri(JWKS_URI, uri)), timing);
        }

        DeviceCredentials started(Consumer<VerificationKeysRotated> rotated) {
            Optional<IssuerKeys> keys = jwksUri.map(uri -> new IssuerKeys(
                    issuer, Optional.of(uri), timing, IssuerKeys.httpClient(timing), Clock.systemUTC(), rotated));
            DeviceCredentials credentials = new DeviceCredentials(issuer, audience, keys);
            credentials.start(timing.refreshInterval());
            return credentials;
        }
    }

    /** Fetches the published keys now (in the background) and then every {@code every}; nothing without a JWKS. */
    private void start(Duration every) {
        if (published.isEmpty() || refresher != null) {
            return;
        }
        refresher = IssuerKeys.refreshPeriodically(List.of(published.get()), every, "bulwark-device-credential-keys");
    }

    /**
     * Registers the public keys of the device credentials this JVM signs (kid → key), so it verifies them without
     * fetching its own JWKS. Replaces what was registered before.
     */
    public static void useOwnKeys(Map<String, PublicKey> keys) {
        ownKeys = Map.copyOf(keys);
    }

    /** Whether a token claiming {@code tokenIssuer} is a device credential, to be verified here. */
    boolean handles(String tokenIssuer) {
        return issuer.equals(tokenIssuer);
    }

    /**
     * Whether any device credential could be verified here: the signing service registered its own keys in this JVM,
     * or a JWKS is configured. Without either every credential is refused, wherever it is dispatched.
     */
    boolean hasKeys() {
        return published.isPresent() || !ownKeys.isEmpty();
    }

    /**
     * Verifies a device credential.
     *
     * @param local the local verification settings, for the allowed clock skew
     * @throws ParseException when it is not accepted (401)
     */
    JWTCallerPrincipal verify(String token, OidcIssuers.UnverifiedToken claimed, JWTAuthContextInfo local)
            throws ParseException {
        if (!ALGORITHM.equals(claimed.algorithm())) {
            throw new ParseException("A device credential is signed with " + ALGORITHM);
        }
        String kid = claimed.keyId().orElseThrow(() -> new ParseException("A device credential names its key (kid)"));
        PublicKey key = key(kid).orElseThrow(() -> new ParseException("No device credential key " + kid));
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, issuer);
        info.setExpectedAudience(Set.of(audience));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.ES256));
        info.setClockSkew(local.getClockSkew());
        info.setExpGracePeriodSecs(local.getExpGracePeriodSecs());
        JwtContext context = parser.parse(token, info);
        JwtClaims claims = context.getJwtClaims();
        requireDeviceShape(claims);
        String type = context.getJoseObjects().get(0).getHeader("typ");
        return new SmallRyeVerification.VerifiedPrincipal(type, claims);
    }

    private Optional<PublicKey> key(String kid) {
        PublicKey own = ownKeys.get(kid);
        if (own != null) {
            return Optional.of(own);
        }
        return published.flatMap(keys -> keys.key(Optional.of(kid), ALGORITHM));
    }

    /**
     * A credential acts for one device, or one app instance, and nothing else: the {@code device} role alone with
     * {@code device_id} = {@code sub}, or the {@code app-instance} role alone with {@code registration_id} =
     * {@code sub}, its {@code user_id} and its generation ({@code gen}); a tenant either way.
     */
    static void requireDeviceShape(JwtClaims claims) throws ParseException {
        try {
            List<String> groups = claims.getStringListClaimValue("groups");
            String tenant = claims.getStringClaimValue(Caller.TENANT_CLAIM);
            if (tenant == null || tenant.isBlank()) {
                throw new ParseException("A device credential names its tenant");
            }
            if (groups != null && groups.equals(List.of(Roles.DEVICE))) {
                requireSubject(claims, Caller.DEVICE_CLAIM);
                if (claims.hasClaim(Caller.REGISTRATION_CLAIM)) {
                    throw new ParseException("A device's credential names no app instance");
                }
            } else if (groups != null && groups.equals(List.of(Roles.APP_INSTANCE))) {
                requireSubject(claims, Caller.REGISTRATION_CLAIM);
                String user = claims.getStringClaimValue(Caller.USER_CLAIM);
                if (user == null || user.isBlank() || !claims.isClaimValueOfType(Caller.GENERATION_CLAIM, Long.class)) {
                    throw new ParseException("An app instance's credential names its user and generation");
                }
                if (claims.hasClaim(Caller.DEVICE_CLAIM)) {
                    throw new ParseException("An app instance's credential names no device");
                }
            } else {
                throw new ParseException("A device credential carries the device or the app-instance role only");
            }
        } catch (MalformedClaimException e) {
            throw new ParseException("A device credential's claims are malformed: " + e.getMessage());
        }
    }

    private static void requireSubject(JwtClaims claims, String claim) throws ParseException, MalformedClaimException {
        String value = claims.getStringClaimValue(claim);
        if (value == null || value.isBlank() || !value.equals(claims.getSubject())) {
            throw new ParseException("A device credential names what it acts for in " + claim + " and sub");
        }
    }

    /** Stops the periodic refresh of the published keys. */
    @Override
    public void close() {
        ScheduledExecutorService executor = refresher;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
