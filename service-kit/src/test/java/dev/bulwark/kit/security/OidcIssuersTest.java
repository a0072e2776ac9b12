package dev.bulwark.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * People's tokens from OIDC providers, end to end through {@link CachingTokenVerifier}: a real HTTP server started
 * here serves discovery and JWKS for two issuers — one shaped like Entra ID (tenant from {@code tid}, groups mapped to
 * roles, user from {@code oid}), one like a Keycloak realm (a fixed tenant, roles from {@code realm_access.roles},
 * user from {@code preferred_username}) — and tokens are signed with keys generated here.
 */
class OidcIssuersTest {

    private static final String LOCAL_ISSUER = "https://bulwark.local";
    private static final String AUDIENCE = "api://bulwark";
    private static final String ENTRA_TENANT = "7f3c1e2a-0000-4000-8000-000000000001";

    /** The provider: discovery and a JWKS per issuer path, counting JWKS fetches; the served keys can change. */
    static final class Provider implements AutoCloseable {
        final HttpServer server;
        final Map<String, List<PublicJsonWebKey>> served = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> jwksFetches = new ConcurrentHashMap<>();

        Provider() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String realm = path.substring(1, path.indexOf('/', 1));
                String body;
                int status = 200;
                if (path.endsWith("/.well-known/openid-configuration")) {
                    body = "{\"issuer\":\"" + issuer(realm) + "\",\"jwks_uri\":\"" + issuer(realm) + "/keys\"}";
                } else if (path.endsWith("/keys") && served.containsKey(realm)) {
                    jwksFetches.computeIfAbsent(realm, r -> new AtomicInteger()).incrementAndGet();
                    body = new JsonWebKeySet(served.get(realm)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
                } else {
                    status = 404;
                    body = "{}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        String issuer(String realm) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + realm;
        }

        void serve(String realm, SigningKey... keys) {
            List<PublicJsonWebKey> jwks = new ArrayList<>();
            for (SigningKey key : keys) {
                jwks.add(key.jwk());
            }
            served.put(realm, jwks);
        }

        int fetches(String realm) {
            return jwksFetches.computeIfAbsent(realm, r -> new AtomicInteger()).get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A signing key with its kid: RSA (RS256) or EC P-256 (ES256). */
    record SigningKey(String kid, KeyPair pair, String algorithm) {
        static SigningKey rsa(String kid) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new SigningKey(kid, generator.generateKeyPair(), AlgorithmIdentifiers.RSA_USING_SHA256);
        }

        static SigningKey ec(String kid) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new SigningKey(
                    kid, generator.generateKeyPair(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        }

        PublicJsonWebKey jwk() {
            PublicJsonWebKey jwk = pair.getPublic() instanceof RSAPublicKey rsa
                    ? new RsaJsonWebKey(rsa)
                    : new EllipticCurveJsonWebKey((ECPublicKey) pair.getPublic());
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(algorithm);
            return jwk;
        }

        String sign(JwtClaims claims) throws Exception {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKeyIdHeaderValue(kid);
            jws.setHeader("typ", "JWT");
            jws.setKey(pair.getPrivate());
            return jws.getCompactSerialization();
        }
    }

    /** A clock the rate limit is judged by, moved by the test. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private static Provider provider;
    private static SigningKey entraKey;
    private static SigningKey entraEcKey;
    private static SigningKey keycloakKey;
    private static SigningKey keycloakNextKey;
    private static SigningKey stranger;
    private static SigningKey local;

    private final MovableClock clock = new MovableClock();
    private final List<VerificationKeysRotated> rotations = new CopyOnWriteArrayList<>();
    private OidcIssuers issuers;
    private CachingTokenVerifier verifier;

    @BeforeAll
    static void startProvider() throws Exception {
        provider = new Provider();
        entraKey = SigningKey.rsa("entra-1");
        entraEcKey = SigningKey.ec("entra-ec");
        keycloakKey = SigningKey.rsa("kc-1");
        keycloakNextKey = SigningKey.rsa("kc-2");
        stranger = SigningKey.rsa("ghost");
        local = SigningKey.rsa("local");
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @BeforeEach
    void verifier() {
        provider.serve("entra", entraKey, entraEcKey);
        provider.serve("keycloak", keycloakKey);
        issuers = issuers(settings(Map.of()), Duration.ofHours(1));
    }

    private OidcIssuers issuers(Map<String, String> settings, Duration minRefresh) {
        List<OidcIssuerSettings> configured = OidcIssuerSettings.fromConfig(config(settings));
        AtomicReference<CachingTokenVerifier> owner = new AtomicReference<>();
        OidcIssuers made = new OidcIssuers(
                configured,
                new OidcIssuerSettings.Timing(Duration.ofHours(1), minRefresh, Duration.ofSeconds(5)),
                HttpClient.newHttpClient(),
                clock,
                rotated -> {
                    rotations.add(rotated);
                    owner.get().rotated(rotated);
                });
        verifier = new CachingTokenVerifier(new SmallRyeVerification(), made, 1000, true, Clock.systemUTC());
        owner.set(verifier);
        return made;
    }

    @AfterEach
    void close() {
        issuers.close();
    }

    /** Two issuers as an operator would configure them (plus {@code extra} on top). */
    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mp.jwt.verify.issuer", LOCAL_ISSUER);
        settings.put("bulwark.oidc.issuers", "entra,keycloak");
        settings.put("bulwark.oidc.entra.issuer", provider.issuer("entra"));
        settings.put("bulwark.oidc.entra.audience", AUDIENCE);
        settings.put("bulwark.oidc.entra.algorithms", "RS256,ES256");
        settings.put("bulwark.oidc.entra.tenant-claim", "tid");
        settings.put("bulwark.oidc.entra.allowed-tenants", ENTRA_TENANT);
        settings.put("bulwark.oidc.entra.roles-claim", "groups");
        settings.put("bulwark.oidc.entra.role-map", "grp-admins=admin,grp-staff=user");
        settings.put("bulwark.oidc.entra.user-claim", "oid");
        settings.put("bulwark.oidc.keycloak.issuer", provider.issuer("keycloak"));
        settings.put("bulwark.oidc.keycloak.audience", "bulwark");
        settings.put("bulwark.oidc.keycloak.tenant", "acme");
        settings.put("bulwark.oidc.keycloak.roles-claim", "realm_access.roles");
        settings.put("bulwark.oidc.keycloak.user-claim", "preferred_username");
        settings.putAll(extra);
        return settings;
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    private static JWTAuthContextInfo localInfo() {
        JWTAuthContextInfo info = new JWTAuthContextInfo(local.pair().getPublic(), LOCAL_ISSUER);
        info.setClockSkew(0);
        info.setExpGracePeriodSecs(0);
        return info;
    }

    private JWTCallerPrincipal verify(String token) throws ParseException {
        return verifier.parse(token, localInfo());
    }

    private static JwtClaims entraClaims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(provider.issuer("entra"));
        claims.setAudience(AUDIENCE);
        claims.setSubject("pairwise-sub-123");
        claims.setClaim("oid", "0f9d-user-oid");
        claims.setClaim("tid", ENTRA_TENANT);
        claims.setStringListClaim("groups", "grp-admins", "grp-other");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    private static JwtClaims keycloakClaims(String user) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(provider.issuer("keycloak"));
        claims.setAudience("bulwark", "account");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", user);
        claims.setClaim("realm_access", Map.of("roles", List.of("user", "offline_access", "uma_authorization")));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    @Test
    void anEntraTokenWithAKnownKidIsAcceptedWithTenantFromTidRolesFromGroupsAndUserFromOid() throws Exception {
        JwtClaims claims = entraClaims();
        claims.setClaim("tenant_id", "someone-elses-tenant");
        claims.setClaim("device_id", "a-device");

        JWTCallerPrincipal principal = verify(entraKey.sign(claims));

        assertThat(principal.getClaim(Caller.TENANT_CLAIM).toString()).isEqualTo(ENTRA_TENANT);
        assertThat(principal.getGroups()).containsExactly(Roles.ADMIN);
        assertThat(principal.getSubject()).isEqualTo("0f9d-user-oid");
        assertThat(principal.containsClaim(Caller.DEVICE_CLAIM))
                .as("a person's token never acts for a device")
                .isFalse();
    }

    @Test
    void anEs256TokenIsAcceptedWhereTheIssuerIsConfiguredForIt() throws Exception {
        assertThat(verify(entraEcKey.sign(entraClaims())).getSubject()).isEqualTo("0f9d-user-oid");
    }

    @Test
    void aKeycloakTokenGetsTheIssuersFixedTenantRolesFromRealmAccessAndUserFromPreferredUsername() throws Exception {
        JwtClaims claims = keycloakClaims("alice");
        claims.setClaim("tenant_id", "other-tenant");

        JWTCallerPrincipal principal = verify(keycloakKey.sign(claims));

        assertThat(principal.getClaim(Caller.TENANT_CLAIM).toString()).isEqualTo("acme");
        assertThat(principal.getGroups()).containsExactly(Roles.USER);
        assertThat(principal.getSubject()).isEqualTo("alice");
    }

    @Test
    void theLocalKeyPairsTokensKeepWorkingBesideTheProviders() throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(LOCAL_ISSUER);
        claims.setSubject("bob");
        claims.setClaim("tenant_id", "demo");
        claims.setStringListClaim("groups", "admin");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);

        JWTCallerPrincipal principal = verify(local.sign(claims));

        assertThat(principal.getClaim(Caller.TENANT_CLAIM).toString()).isEqualTo("demo");
        assertThat(principal.getGroups()).containsExactly("admin");
    }

    @Test
    void aTokenOfAnIssuerThatIsNotConfiguredIsRefused() throws Exception {
        JwtClaims claims = entraClaims();
        claims.setIssuer(provider.issuer("elsewhere"));
        assertThatThrownBy(() -> verify(entraKey.sign(claims))).isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        JwtClaims claims = entraClaims();
        claims.setAudience("api://some-other-app");
        assertThatThrownBy(() -> verify(entraKey.sign(claims))).isInstanceOf(ParseException.class);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JwtClaims claims = entraClaims();
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(
                Instant.now().minusSeconds(600).getEpochSecond()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                Instant.now().minusSeconds(30).getEpochSecond()));
        assertThatThrownBy(() -> verify(entraKey.sign(claims))).isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenWhoseClaimsWereChangedAfterSigningIsRefused() throws Exception {
        String genuine = entraKey.sign(entraClaims());
        assertThat(verify(genuine).getGroups()).containsExactly(Roles.ADMIN);

        JwtClaims forged = entraClaims();
        forged.setClaim("oid", "mallory");
        String[] genuineParts = genuine.split("\\.");
        String[] forgedParts = entraKey.sign(forged).split("\\.");
        String tampered = genuineParts[0] + "." + forgedParts[1] + "." + genuineParts[2];

        assertThatThrownBy(() -> verify(tampered)).isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenSignedWithAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        SigningKey impostor = new SigningKey("entra-1", stranger.pair(), AlgorithmIdentifiers.RSA_USING_SHA256);
        assertThatThrownBy(() -> verify(impostor.sign(entraClaims()))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> verify(stranger.sign(entraClaims())))
                .as("an unknown kid")
                .isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenWithoutItsTenantClaimIsRefused() throws Exception {
        JwtClaims claims = entraClaims();
        claims.unsetClaim("tid");
        assertThatThrownBy(() -> verify(entraKey.sign(claims)))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("tid");
    }

    @Test
    void aTokenNamingATenantItsIssuerMayNotNameIsRefused() throws Exception {
        JwtClaims claims = entraClaims();
        claims.setClaim("tid", "another-directory");
        assertThatThrownBy(() -> verify(entraKey.sign(claims)))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("another-directory");
    }

    @Test
    void aTokenWithoutItsUserClaimIsRefused() throws Exception {
        JwtClaims claims = keycloakClaims("alice");
        claims.unsetClaim("preferred_username");
        assertThatThrownBy(() -> verify(keycloakKey.sign(claims))).isInstanceOf(ParseException.class);
    }

    @Test
    void hmacWithThePublicKeyAsSecretAndUnsignedTokensAreRefused() throws Exception {
        JwtClaims claims = keycloakClaims("alice");

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims.toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKeyIdHeaderValue(keycloakKey.kid());
        hmac.setKey(new HmacKey(keycloakKey.pair().getPublic().getEncoded()));
        assertThatThrownBy(() -> verify(hmac.getCompactSerialization())).isInstanceOf(ParseException.class);

        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims.toJson());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(keycloakKey.kid());
        assertThatThrownBy(() -> verify(none.getCompactSerialization())).isInstanceOf(ParseException.class);
    }

    @Test
    void anEs256TokenIsRefusedByAnIssuerPinnedToRs256() throws Exception {
        SigningKey ec = SigningKey.ec("kc-ec");
        provider.serve("keycloak", keycloakKey, ec);
        assertThatThrownBy(() -> verify(ec.sign(keycloakClaims("alice")))).isInstanceOf(ParseException.class);
    }

    @Test
    void aKeyRotationAtTheProviderIsPickedUpWithoutRestartAndTheRemovedKeysTokensAreRefused() throws Exception {
        String before = keycloakKey.sign(keycloakClaims("alice"));
        assertThat(verify(before).getSubject()).isEqualTo("alice");
        assertThat(verify(before).getSubject()).as("answered from the cache").isEqualTo("alice");

        provider.serve("keycloak", keycloakNextKey); // kc-1 removed, kc-2 new
        clock.advance(Duration.ofHours(2)); // past the rate limit
        String after = keycloakNextKey.sign(keycloakClaims("bob"));

        assertThat(verify(after).getSubject()).isEqualTo("bob");
        assertThat(rotations).hasSize(1);
        assertThatThrownBy(() -> verify(before))
                .as("the cached verification of the removed key's token was dropped")
                .isInstanceOf(ParseException.class);
    }

    @Test
    void theKeysAreFetchedAgainPeriodicallyAndARemovedKeysCachedTokensAreDropped() throws Exception {
        issuers.close();
        OidcIssuers periodic = new OidcIssuers(
                OidcIssuerSettings.fromConfig(config(settings(Map.of()))),
                new OidcIssuerSettings.Timing(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(5)),
                HttpClient.newHttpClient(),
                clock,
                rotated -> {
                    rotations.add(rotated);
                    verifier.rotated(rotated);
                });
        verifier = new CachingTokenVerifier(new SmallRyeVerification(), periodic, 1000, true, Clock.systemUTC());
        issuers = periodic;
        periodic.start();
        String token = keycloakKey.sign(keycloakClaims("alice"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(verify(token).getSubject()).isEqualTo("alice"));

        provider.serve("keycloak", keycloakNextKey);

        await().atMost(Duration.ofSeconds(10)).until(() -> !rotations.isEmpty());
        assertThat(verifier.cache().size()).isZero();
        assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheJwksAtMostOncePerMinimumInterval() throws Exception {
        assertThat(verify(keycloakKey.sign(keycloakClaims("alice"))).getSubject())
                .isEqualTo("alice");
        int fetchesBefore = provider.fetches("keycloak");

        ExecutorService attackers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> attempts = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                SigningKey bogus = new SigningKey("bogus-" + i, stranger.pair(), AlgorithmIdentifiers.RSA_USING_SHA256);
                String token = bogus.sign(keycloakClaims("mallory"));
                attempts.add(attackers.submit(() -> {
                    assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
                    return null;
                }));
            }
            for (Future<?> attempt : attempts) {
                attempt.get(30, TimeUnit.SECONDS);
            }
        } finally {
            attackers.shutdownNow();
        }
        assertThat(provider.fetches("keycloak") - fetchesBefore)
                .as("JWKS fetches caused by 400 unknown kids within one minimum interval")
                .isLessThanOrEqualTo(1);

        clock.advance(Duration.ofHours(1));
        SigningKey bogus = new SigningKey("bogus-late", stranger.pair(), AlgorithmIdentifiers.RSA_USING_SHA256);
        assertThatThrownBy(() -> verify(bogus.sign(keycloakClaims("mallory")))).isInstanceOf(ParseException.class);
        assertThat(provider.fetches("keycloak") - fetchesBefore)
                .as("one more once the interval has passed")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void settingsThatCannotWorkStopTheStartNamingTheProperty() {
        assertThatThrownBy(() ->
                        OidcIssuerSettings.fromConfig(config(settings(Map.of("bulwark.oidc.entra.audience", "")))))
                .hasMessageContaining("bulwark.oidc.entra.audience");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.keycloak.tenant-claim", "tenant_id")))))
                .hasMessageContaining("bulwark.oidc.keycloak.tenant-claim");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.entra.algorithms", "HS256")))))
                .hasMessageContaining("bulwark.oidc.entra.algorithms");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.entra.algorithms", "none")))))
                .hasMessageContaining("bulwark.oidc.entra.algorithms");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.entra.role-map", "grp-ops=operator")))))
                .hasMessageContaining("bulwark.oidc.entra.role-map");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.keycloak.default-roles", "device")))))
                .hasMessageContaining("bulwark.oidc.keycloak.default-roles");
        assertThatThrownBy(() -> OidcIssuerSettings.fromConfig(
                        config(settings(Map.of("bulwark.oidc.keycloak.issuer", LOCAL_ISSUER)))))
                .hasMessageContaining("bulwark.oidc.keycloak.issuer");
    }

    @Test
    void anIssuerIsConfiguredByEnvironmentVariablesAlone() {
        SmallRyeConfig environment = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(
                        Map.of(
                                "BULWARK_OIDC_ISSUERS", "contoso",
                                "BULWARK_OIDC_CONTOSO_ISSUER",
                                        "https://login.microsoftonline.com/" + ENTRA_TENANT + "/v2.0",
                                "BULWARK_OIDC_CONTOSO_AUDIENCE", "api://bulwark",
                                "BULWARK_OIDC_CONTOSO_TENANT_CLAIM", "tid",
                                "BULWARK_OIDC_CONTOSO_ROLES_CLAIM", "roles",
                                "BULWARK_OIDC_CONTOSO_ROLE_MAP", "Bulwark.Admin=admin,Bulwark.User=user",
                                "BULWARK_OIDC_CONTOSO_USER_CLAIM", "oid"),
                        300))
                .build();

        OidcIssuerSettings contoso = OidcIssuerSettings.fromConfig(environment).get(0);

        assertThat(contoso.name()).isEqualTo("contoso");
        assertThat(contoso.audiences()).containsExactly("api://bulwark");
        assertThat(contoso.algorithms()).containsExactly("RS256");
        assertThat(contoso.mapping().tenantClaim()).contains("tid");
        assertThat(contoso.mapping().fixedTenant()).isEmpty();
        assertThat(contoso.mapping().rolesClaim()).isEqualTo("roles");
        assertThat(contoso.mapping().roleMap())
                .isEqualTo(Map.of("Bulwark.Admin", Set.of(Roles.ADMIN), "Bulwark.User", Set.of(Roles.USER)));
        assertThat(contoso.mapping().userClaim()).isEqualTo("oid");
    }

    @Test
    void withoutIssuersNothingIsConfiguredAndAuthenticationStaysOnTheEventLoop() {
        assertThat(OidcIssuerSettings.fromConfig(config(Map.of()))).isEmpty();
        SmallRyeConfig none = new SmallRyeConfigBuilder()
                .withInterceptors(new OidcBlockingAuthentication())
                .withSources(new PropertiesConfigSource(Map.of(), "test", 100))
                .build();
        assertThat(none.getOptionalValue(OidcBlockingAuthentication.PROPERTY, Boolean.class))
                .isEmpty();

        SmallRyeConfig some = new SmallRyeConfigBuilder()
                .withInterceptors(new OidcBlockingAuthentication())
                .withSources(new PropertiesConfigSource(Map.of("bulwark.oidc.issuers", "entra"), "test", 100))
                .build();
        assertThat(some.getOptionalValue(OidcBlockingAuthentication.PROPERTY, Boolean.class))
                .contains(true);

        SmallRyeConfig explicit = new SmallRyeConfigBuilder()
                .withInterceptors(new OidcBlockingAuthentication())
                .withSources(new PropertiesConfigSource(
                        Map.of("bulwark.oidc.issuers", "entra", OidcBlockingAuthentication.PROPERTY, "false"),
                        "test",
                        100))
                .build();
        assertThat(explicit.getOptionalValue(OidcBlockingAuthentication.PROPERTY, Boolean.class))
                .contains(false);
    }

    @Test
    void roleNamesAreMappedOrTakenAsTheyAreWhenNoMapIsGiven() {
        ClaimMapping passThrough = new ClaimMapping(
                java.util.Optional.empty(),
                java.util.Optional.of("acme"),
                Set.of(),
                "roles",
                Map.of(),
                Set.of(),
                "sub");
        JwtClaims claims = new JwtClaims();
        claims.setStringListClaim("roles", "admin", "operator", "device", "Admin");
        assertThat(passThrough.roles(claims)).containsExactly(Roles.ADMIN);

        ClaimMapping mapped = new ClaimMapping(
                java.util.Optional.empty(),
                java.util.Optional.of("acme"),
                Set.of(),
                "https://bulwark.example/groups",
                Map.of("Bulwark Admins", Set.of(Roles.ADMIN, Roles.USER)),
                Set.of(Roles.USER),
                "sub");
        JwtClaims okta = new JwtClaims();
        okta.setStringListClaim("https://bulwark.example/groups", "Bulwark Admins", "Everyone");
        assertThat(mapped.roles(okta)).containsExactlyInAnyOrder(Roles.ADMIN, Roles.USER);
        JwtClaims scp = new JwtClaims();
        scp.setClaim("roles", "admin user,operator");
        assertThat(passThrough.roles(scp))
                .as("one string of names separated by spaces or commas")
                .containsExactly(Roles.ADMIN, Roles.USER);
    }
}
