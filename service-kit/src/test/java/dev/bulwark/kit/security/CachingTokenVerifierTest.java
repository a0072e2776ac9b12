package dev.bulwark.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verified-token cache in front of smallrye-jwt's verification, with real RS256 tokens. */
class CachingTokenVerifierTest {

    private static final String ISSUER = "https://bulwark.local";

    /** An RSA key pair that mints RS256 tokens with Bulwark's claims. */
    private record Keys(KeyPair pair) {
        static Keys generate() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new Keys(generator.generateKeyPair());
        }

        String mint(String tenant, String subject, Duration ttl) throws Exception {
            long now = System.currentTimeMillis() / 1000;
            String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                    + "\",\"tenant_id\":\"" + tenant + "\",\"groups\":[\"user\"],\"jti\":\"" + UUID.randomUUID()
                    + "\",\"iat\":" + now + ",\"exp\":" + (now + ttl.toSeconds()) + "}";
            String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(pair.getPrivate());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        }

        JWTAuthContextInfo info() {
            JWTAuthContextInfo info = new JWTAuthContextInfo(pair.getPublic(), ISSUER);
            info.setClockSkew(0);
            info.setExpGracePeriodSecs(0);
            return info;
        }

        private static String b64(String json) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Keys keysA;

    @BeforeAll
    static void keys() throws Exception {
        keysA = Keys.generate();
    }

    /** smallrye-jwt's real verification, counting how often it runs. */
    private static final class CountingFactory extends JWTCallerPrincipalFactory {
        final AtomicInteger verifications = new AtomicInteger();
        private final DefaultJWTCallerPrincipalFactory real = new DefaultJWTCallerPrincipalFactory();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            verifications.incrementAndGet();
            return real.parse(token, info);
        }
    }

    private final CountingFactory real = new CountingFactory();
    private final CachingTokenVerifier verifier = new CachingTokenVerifier(real, 1000, true, Clock.systemUTC());

    @Test
    void aRepeatedTokenIsVerifiedOnceAndThenAnsweredFromTheCache() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String token = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));

        for (int i = 0; i < 5; i++) {
            assertThat(verifier.parse(token, info).getSubject()).isEqualTo("alice");
        }

        assertThat(real.verifications).hasValue(1);
        assertThat(verifier.cache().hits()).isEqualTo(4);
    }

    @Test
    void aTokenTheServiceIssuedItselfIsAnsweredWithoutAVerificationUntilItEndsOrTheKeysChange() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        verifier.parse(user(keys, "tenant-a", "alice", Duration.ofMinutes(5)), info); // the service's keys are known
        String issued = user(keys, "tenant-a", "dev-1", Duration.ofMinutes(5));
        String ended = user(keys, "tenant-a", "dev-2", Duration.ofMinutes(-1));

        verifier.rememberIssued(issued, claimsOf(issued));
        verifier.rememberIssued(ended, claimsOf(ended));

        assertThat(verifier.parse(issued, info).getSubject()).isEqualTo("dev-1");
        assertThat(verifier.parse(issued, info).getRawToken()).isEqualTo(issued);
        assertThat(real.verifications).as("only alice's token was verified").hasValue(1);
        assertThatThrownBy(() -> verifier.parse(ended, info)).isInstanceOf(ParseException.class);
        verifier.rotated(new VerificationKeysRotated("test"));
        assertThat(verifier.alreadyVerified(issued)).isEmpty();
    }

    @Test
    void aTokenIssuedBeforeAnyVerificationIsNotKept() throws Exception {
        String issued = user(keysA, "tenant-a", "dev-1", Duration.ofMinutes(5));
        verifier.rememberIssued(issued, claimsOf(issued));
        assertThat(verifier.alreadyVerified(issued)).isEmpty();
    }

    @Test
    void aTamperedSignatureIsRefusedEvenWhenTheGenuineTokenIsCached() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String token = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));
        verifier.parse(token, info);

        String signature = token.substring(token.lastIndexOf('.') + 1);
        char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, token.lastIndexOf('.') + 1)
                + signature.substring(0, 10)
                + flipped
                + signature.substring(11);

        assertThatThrownBy(() -> verifier.parse(tampered, info)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> verifier.parse(tampered, info)).isInstanceOf(ParseException.class);
        assertThat(real.verifications)
                .as("every attempt with the tampered token is verified")
                .hasValue(3);
    }

    @Test
    void aTokenWithChangedClaimsButTheOriginalSignatureIsRefused() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String token = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));
        verifier.parse(token, info);

        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("tenant-a", "tenant-b");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];

        assertThatThrownBy(() -> verifier.parse(forged, info)).isInstanceOf(ParseException.class);
    }

    @Test
    void anExpiredTokenIsRefusedEvenThoughItWasCachedBeforeItsExpiry() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String token = user(keys, "tenant-a", "alice", Duration.ofSeconds(1));
        verifier.parse(token, info);
        verifier.parse(token, info);
        assertThat(real.verifications).hasValue(1);

        long exp = verifier.parse(token, info).getExpirationTime();
        await().atMost(Duration.ofSeconds(3)).until(() -> System.currentTimeMillis() >= exp * 1000);

        assertThatThrownBy(() -> verifier.parse(token, info)).isInstanceOf(ParseException.class);
        assertThat(verifier.cache().size()).isZero();
    }

    @Test
    void afterAKeyRotationATokenOfTheOldKeyIsNoLongerAccepted() throws Exception {
        Keys oldKeys = keysA;
        Keys newKeys = Keys.generate();
        String oldToken = user(oldKeys, "tenant-a", "alice", Duration.ofMinutes(5));
        verifier.parse(oldToken, oldKeys.info());
        verifier.parse(oldToken, oldKeys.info());

        JWTAuthContextInfo rotated = newKeys.info();
        assertThatThrownBy(() -> verifier.parse(oldToken, rotated)).isInstanceOf(ParseException.class);

        String newToken = user(newKeys, "tenant-a", "alice", Duration.ofMinutes(5));
        assertThat(verifier.parse(newToken, rotated).getSubject()).isEqualTo("alice");
    }

    @Test
    void aRotationAnnouncedByTheKeySourceDropsEveryVerifiedToken() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String token = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));
        verifier.parse(token, info);

        verifier.rotated(new VerificationKeysRotated("jwks refreshed"));
        verifier.parse(token, info);

        assertThat(real.verifications).hasValue(2);
    }

    @Test
    void eachTenantsTokenGivesThatTenantOnly() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        String a = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));
        String b = user(keys, "tenant-b", "alice", Duration.ofMinutes(5));

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.parse(a, info).<Object>getClaim("tenant_id").toString())
                    .contains("tenant-a");
            assertThat(verifier.parse(b, info).<Object>getClaim("tenant_id").toString())
                    .contains("tenant-b");
        }
        assertThat(real.verifications).hasValue(2);
    }

    @Test
    void theCacheKeepsAtMostItsMaximumSize() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        CachingTokenVerifier small = new CachingTokenVerifier(real, 10, true, Clock.systemUTC());
        for (int i = 0; i < 50; i++) {
            small.parse(user(keys, "tenant-a", "user-" + i, Duration.ofMinutes(5)), info);
        }
        assertThat(small.cache().size()).isLessThanOrEqualTo(10);
    }

    @Test
    void switchedOffEveryCallIsVerified() throws Exception {
        Keys keys = keysA;
        JWTAuthContextInfo info = keys.info();
        CachingTokenVerifier off = new CachingTokenVerifier(real, 10, false, Clock.systemUTC());
        String token = user(keys, "tenant-a", "alice", Duration.ofMinutes(5));
        off.parse(token, info);
        off.parse(token, info);
        assertThat(real.verifications).hasValue(2);
    }

    private static String user(Keys keys, String tenant, String subject, Duration ttl) throws Exception {
        return keys.mint(tenant, subject, ttl);
    }

    /** The claims a token was signed with, as the signer holds them when it hands them to rememberIssued. */
    private static JwtClaims claimsOf(String token) throws Exception {
        return JwtClaims.parse(
                new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
