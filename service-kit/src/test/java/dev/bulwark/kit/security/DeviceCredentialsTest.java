package dev.bulwark.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.kit.security.OidcIssuersTest.Provider;
import dev.bulwark.kit.security.OidcIssuersTest.SigningKey;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device credentials as a service other than device-registry verifies them: keys from the JWKS a real HTTP server
 * publishes (device-registry's {@code /.well-known/jwks.json} in the stack), ES256 only, and only the shape of a
 * device's credential — the device key must never pass for an admin's or a user's token.
 */
class DeviceCredentialsTest {

    private static final String LOCAL_ISSUER = "https://bulwark.local";
    private static final String DEVICE_ISSUER = "https://bulwark.local/device-credentials";

    private static Provider registry;
    private static SigningKey deviceKey;
    private static SigningKey unpublished;
    private static SigningKey local;
    private CachingTokenVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        registry = new Provider();
        deviceKey = SigningKey.ec("device-key-1");
        unpublished = SigningKey.ec("device-key-2");
        local = SigningKey.rsa("local");
        registry.serve("registry", deviceKey);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static Config config(Map<String, String> extra) {
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                "mp.jwt.verify.issuer",
                LOCAL_ISSUER,
                DeviceCredentials.JWKS_URI,
                registry.issuer("registry") + "/keys",
                DeviceCredentials.MIN_REFRESH_INTERVAL,
                "PT0S"));
        properties.putAll(extra);
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    @BeforeEach
    void verifier() {
        verifier = new CachingTokenVerifier(
                new SmallRyeVerification(),
                OidcIssuers.none(),
                DeviceCredentials.shared(config(Map.of())),
                1000,
                true,
                Clock.systemUTC());
    }

    private static JwtClaims credential(String tenant, String device) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(DEVICE_ISSUER);
        claims.setAudience(DeviceCredentials.DEFAULT_AUDIENCE);
        claims.setSubject(device);
        claims.setClaim(Caller.DEVICE_CLAIM, device);
        claims.setClaim(Caller.TENANT_CLAIM, tenant);
        claims.setStringListClaim("groups", Roles.DEVICE);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    private JWTCallerPrincipal verify(String token) throws ParseException {
        JWTAuthContextInfo info = new JWTAuthContextInfo(local.pair().getPublic(), LOCAL_ISSUER);
        info.setClockSkew(0);
        return verifier.parse(token, info);
    }

    private void refused(Consumer<JwtClaims> change) throws Exception {
        JwtClaims claims = credential("acme", "dev-1");
        change.accept(claims);
        String token = deviceKey.sign(claims);
        assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
    }

    @Test
    void aCredentialSignedWithAPublishedKeyIsAcceptedAsThatDevice() throws Exception {
        JWTCallerPrincipal principal = verify(deviceKey.sign(credential("acme", "dev-1")));
        assertThat(principal.getSubject()).isEqualTo("dev-1");
        assertThat(principal.getGroups()).containsExactly(Roles.DEVICE);
        assertThat((Object) principal.getClaim(Caller.TENANT_CLAIM)).hasToString("acme");
        assertThat((Object) principal.getClaim(Caller.DEVICE_CLAIM)).hasToString("dev-1");
    }

    @Test
    void aCredentialThatGrantsMoreThanTheDeviceRoleIsRefused() throws Exception {
        refused(c -> c.setStringListClaim("groups", Roles.DEVICE, Roles.ADMIN));
        refused(c -> c.setStringListClaim("groups", Roles.ADMIN));
        refused(c -> c.setStringListClaim("groups", Roles.USER));
    }

    @Test
    void aCredentialWhoseSubjectIsNotItsDeviceOrWithoutTenantIsRefused() throws Exception {
        refused(c -> c.setSubject("alice"));
        refused(c -> c.unsetClaim(Caller.DEVICE_CLAIM));
        refused(c -> c.unsetClaim(Caller.TENANT_CLAIM));
    }

    private static JwtClaims appInstance(String tenant, String registration) {
        JwtClaims claims = credential(tenant, registration);
        claims.unsetClaim(Caller.DEVICE_CLAIM);
        claims.setClaim(Caller.REGISTRATION_CLAIM, registration);
        claims.setClaim(Caller.USER_CLAIM, "alice");
        claims.setClaim(Caller.GENERATION_CLAIM, 3);
        claims.setStringListClaim("groups", Roles.APP_INSTANCE);
        return claims;
    }

    @Test
    void anAppInstancesCredentialIsAcceptedAsThatInstanceOfItsUser() throws Exception {
        JWTCallerPrincipal principal = verify(deviceKey.sign(appInstance("acme", "reg-1")));
        assertThat(principal.getSubject()).isEqualTo("reg-1");
        assertThat(principal.getGroups()).containsExactly(Roles.APP_INSTANCE);
        assertThat((Object) principal.getClaim(Caller.USER_CLAIM)).hasToString("alice");
    }

    @Test
    void anAppInstancesCredentialWithoutItsUserOrGenerationOrWithADeviceIsRefused() throws Exception {
        for (Consumer<JwtClaims> change : List.<Consumer<JwtClaims>>of(
                c -> c.unsetClaim(Caller.USER_CLAIM),
                c -> c.unsetClaim(Caller.GENERATION_CLAIM),
                c -> c.setClaim(Caller.GENERATION_CLAIM, "3"),
                c -> c.setClaim(Caller.DEVICE_CLAIM, "reg-1"),
                c -> c.setSubject("alice"),
                c -> c.setStringListClaim("groups", Roles.APP_INSTANCE, Roles.USER))) {
            JwtClaims claims = appInstance("acme", "reg-1");
            change.accept(claims);
            String token = deviceKey.sign(claims);
            assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
        }
    }

    @Test
    void aCredentialForAnotherAudienceOrExpiredIsRefused() throws Exception {
        refused(c -> c.setAudience("api://bulwark"));
        refused(c -> c.setExpirationTimeMinutesInTheFuture(-5));
    }

    @Test
    void aCredentialSignedWithAKeyTheRegistryDoesNotPublishIsRefused() throws Exception {
        String token = unpublished.sign(credential("acme", "dev-1"));
        assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
    }

    @Test
    void aKeyTheRegistryStartsPublishingIsFetchedWhenACredentialNamesIt() throws Exception {
        SigningKey next = SigningKey.ec("device-key-next");
        String token = next.sign(credential("acme", "dev-2"));
        assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
        registry.serve("registry", deviceKey, next);
        assertThat(verify(token).getSubject()).isEqualTo("dev-2");
        registry.serve("registry", deviceKey);
    }

    @Test
    void aCredentialSignedRs256IsRefusedEvenUnderAPublishedKid() throws Exception {
        SigningKey rsa = new SigningKey(
                deviceKey.kid(), SigningKey.rsa("x").pair(), org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256);
        String token = rsa.sign(credential("acme", "dev-1"));
        assertThatThrownBy(() -> verify(token)).isInstanceOf(ParseException.class);
    }

    @Test
    void theServiceThatSignsVerifiesWithItsOwnKeysWithoutFetching() throws Exception {
        SigningKey own = SigningKey.ec("own-key");
        DeviceCredentials.useOwnKeys(Map.of(own.kid(), own.pair().getPublic()));
        try {
            CachingTokenVerifier signer = new CachingTokenVerifier(
                    new SmallRyeVerification(),
                    OidcIssuers.none(),
                    new DeviceCredentials(DEVICE_ISSUER, DeviceCredentials.DEFAULT_AUDIENCE, Optional.empty()),
                    1000,
                    true,
                    Clock.systemUTC());
            JWTAuthContextInfo info = new JWTAuthContextInfo(local.pair().getPublic(), LOCAL_ISSUER);
            assertThat(signer.parse(own.sign(credential("acme", "dev-3")), info).getSubject())
                    .isEqualTo("dev-3");
        } finally {
            DeviceCredentials.useOwnKeys(Map.of());
        }
    }

    @Test
    void aDeviceIssuerEqualToTheLocalIssuerStopsTheStart() {
        assertThatThrownBy(() -> DeviceCredentials.shared(config(Map.of(DeviceCredentials.ISSUER, LOCAL_ISSUER))))
                .hasMessageContaining(DeviceCredentials.ISSUER);
    }

    @Test
    void theSharedVerifierFetchesThePublishedKeysAgainPeriodicallyAndDropsAKeyTheRegistryRemoved() throws Exception {
        SigningKey retiring = SigningKey.ec("device-key-retiring-shared");
        registry.serve("rotating-shared", retiring, deviceKey);
        try (DeviceCredentials shared = DeviceCredentials.shared(config(Map.of(
                DeviceCredentials.JWKS_URI, registry.issuer("rotating-shared") + "/keys",
                DeviceCredentials.REFRESH_INTERVAL, "PT0.1S",
                DeviceCredentials.MIN_REFRESH_INTERVAL, "PT1H")))) {
            verifier = new CachingTokenVerifier(
                    new SmallRyeVerification(), OidcIssuers.none(), shared, 1000, true, Clock.systemUTC());
            assertThat(verify(retiring.sign(credential("acme", "dev-1"))).getSubject())
                    .isEqualTo("dev-1");

            registry.serve("rotating-shared", deviceKey); // no credential names an unknown key: only a refresh sees it

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatThrownBy(() -> verify(retiring.sign(credential("acme", "dev-2"))))
                            .isInstanceOf(ParseException.class));
            assertThat(verify(deviceKey.sign(credential("acme", "dev-3"))).getSubject())
                    .isEqualTo("dev-3");
        }
    }

    @Test
    void aKeyTheRegistryRemovedIsNoticedByThePeriodicRefreshAndTheCredentialsItSignedAreNoLongerAnsweredFromTheCache()
            throws Exception {
        SigningKey retiring = SigningKey.ec("device-key-retiring");
        registry.serve("rotating", retiring, deviceKey);
        List<VerificationKeysRotated> rotations = new CopyOnWriteArrayList<>();
        AtomicReference<CachingTokenVerifier> owner = new AtomicReference<>();
        Config periodic = config(Map.of(
                DeviceCredentials.JWKS_URI, registry.issuer("rotating") + "/keys",
                DeviceCredentials.REFRESH_INTERVAL, "PT0.1S",
                DeviceCredentials.MIN_REFRESH_INTERVAL, "PT1H"));
        try (DeviceCredentials credentials = DeviceCredentials.started(periodic, rotated -> {
            rotations.add(rotated);
            owner.get().rotated(rotated);
        })) {
            verifier = new CachingTokenVerifier(
                    new SmallRyeVerification(), OidcIssuers.none(), credentials, 1000, true, Clock.systemUTC());
            owner.set(verifier);
            String cached = retiring.sign(credential("acme", "dev-1"));
            assertThat(verify(cached).getSubject()).isEqualTo("dev-1");
            assertThat(verify(cached).getSubject())
                    .as("answered from the cache")
                    .isEqualTo("dev-1");
            assertThat(verifier.cache().hits()).isEqualTo(1);

            registry.serve("rotating", deviceKey); // the retiring key removed; no credential asks for a new kid

            await().atMost(Duration.ofSeconds(10)).until(() -> !rotations.isEmpty());
            assertThatThrownBy(() -> verify(cached))
                    .as("the cached verification of the removed key's credential was dropped")
                    .isInstanceOf(ParseException.class);
            assertThat(verify(deviceKey.sign(credential("acme", "dev-2"))).getSubject())
                    .isEqualTo("dev-2");
        }
    }

    @Test
    void keysTheSigningServiceRegistersAfterTheVerifierWasMadeAreUsed() throws Exception {
        CachingTokenVerifier signer = new CachingTokenVerifier(
                new SmallRyeVerification(),
                OidcIssuers.none(),
                new DeviceCredentials(DEVICE_ISSUER, DeviceCredentials.DEFAULT_AUDIENCE, Optional.empty()),
                1000,
                true,
                Clock.systemUTC());
        JWTAuthContextInfo info = new JWTAuthContextInfo(local.pair().getPublic(), LOCAL_ISSUER);
        SigningKey own = SigningKey.ec("own-key-late");
        String token = own.sign(credential("acme", "dev-4"));
        assertThatThrownBy(() -> signer.parse(token, info))
                .as("no key of its own yet, no JWKS")
                .isInstanceOf(ParseException.class);

        DeviceCredentials.useOwnKeys(Map.of(own.kid(), own.pair().getPublic()));
        try {
            assertThat(signer.parse(token, info).getSubject()).isEqualTo("dev-4");
        } finally {
            DeviceCredentials.useOwnKeys(Map.of());
        }
    }
}
