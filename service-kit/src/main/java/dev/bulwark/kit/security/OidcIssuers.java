package dev.bulwark.kit.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.JoseException;

/**
 * The organisations' OIDC issuers Bulwark accepts people's tokens from ({@link OidcIssuerSettings}), each with its
 * keys ({@link IssuerKeys}), and the verification of their tokens.
 *
 * <p>A token is handed here only when its (not yet verified) {@code iss} is one of these issuers; that only picks the
 * keys and rules to verify it with. Verification itself is smallrye-jwt's ({@link DefaultJWTTokenParser}: signature
 * with the key of the token's {@code kid}, issuer, audience, expiry, algorithm pinned to the issuer's configured
 * ones), after which the claims are mapped to Bulwark's ({@link ClaimMapping}). Every issuer's keys are fetched when
 * this starts and again every {@code refresh-interval} on one daemon thread.
 */
public final class OidcIssuers implements AutoCloseable {

    private static final Map<List<Object>, OidcIssuers> SHARED = new ConcurrentHashMap<>();

    private final Map<String, Issuer> byIssuer;
    private final OidcIssuerSettings.Timing timing;
    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    private volatile ScheduledExecutorService refresher;

    private record Issuer(OidcIssuerSettings settings, IssuerKeys keys) {}

    /** What a token's header and payload claim before anything is verified: only used to pick the issuer. */
    record UnverifiedToken(String issuer, Optional<String> keyId, String algorithm) {

        /** The claims of a compact JWS, or empty when {@code token} is not one (it is then verified the usual way). */
        static Optional<UnverifiedToken> peek(String token) {
            int first = token.indexOf('.');
            int second = token.indexOf('.', first + 1);
            if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
                return Optional.empty();
            }
            try {
                Map<String, Object> header = json(token.substring(0, first));
                Map<String, Object> payload = json(token.substring(first + 1, second));
                if (payload.get("iss") instanceof String issuer && header.get("alg") instanceof String algorithm) {
                    return Optional.of(new UnverifiedToken(
                            issuer,
                            header.get("kid") instanceof String kid ? Optional.of(kid) : Optional.empty(),
                            algorithm));
                }
                return Optional.empty();
            } catch (JoseException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private static Map<String, Object> json(String part) throws JoseException {
            return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
        }
    }

    OidcIssuers(
            List<OidcIssuerSettings> settings,
            OidcIssuerSettings.Timing timing,
            HttpClient http,
            Clock clock,
            Consumer<VerificationKeysRotated> rotated) {
        Map<String, Issuer> issuers = new LinkedHashMap<>();
        for (OidcIssuerSettings issuer : settings) {
            issuers.put(
                    issuer.issuer(),
                    new Issuer(
                            issuer, new IssuerKeys(issuer.issuer(), issuer.jwksUri(), timing, http, clock, rotated)));
        }
        this.byIssuer = Map.copyOf(issuers);
        this.timing = timing;
    }

    /** No issuer: only the local key pair's tokens are accepted. */
    static OidcIssuers none() {
        return new OidcIssuers(List.of(), OidcIssuerSettings.Timing.DEFAULT, null, Clock.systemUTC(), rotated -> {});
    }

    /**
     * The issuers {@code config} names, one set per distinct configuration in this JVM (every instance of the token
     * verifier shares its keys and fetches), started; key changes are announced as a CDI event while a container runs.
     */
    static OidcIssuers shared(Config config) {
        List<OidcIssuerSettings> settings = OidcIssuerSettings.fromConfig(config);
        if (settings.isEmpty()) {
            return none();
        }
        OidcIssuerSettings.Timing timing = OidcIssuerSettings.Timing.fromConfig(config);
        return SHARED.computeIfAbsent(List.of(settings, timing), k -> {
            OidcIssuers issuers = new OidcIssuers(
                    settings, timing, IssuerKeys.httpClient(timing), Clock.systemUTC(), IssuerKeys::announce);
            issuers.start();
            return issuers;
        });
    }

    /** Fetches every issuer's keys now (in the background) and then every {@code refresh-interval}. */
    void start() {
        if (byIssuer.isEmpty() || refresher != null) {
            return;
        }
        List<IssuerKeys> keys = byIssuer.values().stream().map(Issuer::keys).toList();
        refresher = IssuerKeys.refreshPeriodically(keys, timing.refreshInterval(), "bulwark-oidc-keys");
    }

    boolean isEmpty() {
        return byIssuer.isEmpty();
    }

    /** Whether a token claiming {@code issuer} is verified here. */
    boolean handles(String issuer) {
        return byIssuer.containsKey(issuer);
    }

    /**
     * Verifies a token of one of these issuers with smallrye-jwt and maps its claims.
     *
     * @param local the local verification settings, for the allowed clock skew
     * @throws ParseException when the token is not accepted (401)
     */
    JWTCallerPrincipal verify(String token, UnverifiedToken claimed, JWTAuthContextInfo local) throws ParseException {
        Issuer issuer = byIssuer.get(claimed.issuer());
        if (issuer == null) {
            throw new ParseException("The token's issuer is not accepted");
        }
        OidcIssuerSettings settings = issuer.settings();
        if (!settings.algorithms().contains(claimed.algorithm())) {
            throw new ParseException("Algorithm " + claimed.algorithm() + " is not accepted for this issuer");
        }
        PublicKey key = issuer.keys()
                .key(claimed.keyId(), claimed.algorithm())
                .orElseThrow(() -> new ParseException("The issuer has no " + claimed.algorithm() + " key "
                        + claimed.keyId().orElse("(no kid)")));
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, settings.issuer());
        info.setExpectedAudience(settings.audiences());
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.fromAlgorithm(claimed.algorithm())));
        info.setClockSkew(local.getClockSkew());
        info.setExpGracePeriodSecs(local.getExpGracePeriodSecs());
        info.setRequireNamedPrincipal(false); // the user id is the mapping's claim, checked there
        JwtContext context = parser.parse(token, info);
        settings.mapping().normalise(context.getJwtClaims());
        String type = context.getJoseObjects().get(0).getHeader("typ");
        return new SmallRyeVerification.VerifiedPrincipal(type, context.getJwtClaims());
    }

    /** How many times an issuer's keys were fetched, for tests. */
    long fetches(String issuer) {
        return byIssuer.get(issuer).keys().fetches();
    }

    @Override
    public void close() {
        ScheduledExecutorService executor = refresher;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
