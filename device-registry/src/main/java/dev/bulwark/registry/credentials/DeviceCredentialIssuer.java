package dev.bulwark.registry.credentials;

import dev.bulwark.kit.security.CachingTokenVerifier;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.DeviceCredentials;
import dev.bulwark.kit.security.Roles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Issues the credential an enrolled device acts with: an ES256 token for that device only ({@code sub} and
 * {@code device_id} the device, the {@code device} role, its tenant) — and the one a registered app instance (MAM)
 * checks in with ({@code sub} and {@code registration_id} the instance, {@code user_id} its user, the
 * {@code app-instance} role, the instance's credential generation {@code gen}) — valid for {@value #TTL} and renewed at check-in
 * when less than half of that is left. Signed with the device key ({@value #SIGNING_KEY}: one PEM file holding the
 * PKCS#8 {@code PRIVATE KEY} and its {@code PUBLIC KEY}), whose public part — with any previous keys still trusted
 * during a rotation ({@value #PREVIOUS_KEYS}) — is published at {@code /.well-known/jwks.json} for the other services.
 *
 * <p>Why signed tokens and not mTLS client certificates: every service already verifies bearer tokens (and caches the
 * verification), the gateway passes them through untouched, and a device agent, the simulator or a curl user needs
 * nothing but an HTTP header; client certificates would need a certificate authority in device-registry, TLS ended at
 * each service or a proxy forwarding the verified certificate, and a revocation list or OCSP for retirement. ES256
 * rather than RS256: signing an enrollment's credential costs a fraction of an RSA signature.
 */
@ApplicationScoped
@Startup
public class DeviceCredentialIssuer {

    public static final String SIGNING_KEY = "bulwark.device-credentials.signing-key.location";
    public static final String PREVIOUS_KEYS = "bulwark.device-credentials.previous-keys.location";
    public static final String EPHEMERAL = "bulwark.device-credentials.ephemeral-key";
    public static final String TTL = "bulwark.device-credentials.ttl";

    private static final Logger LOG = Logger.getLogger(DeviceCredentialIssuer.class);
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** A credential and when it ends. */
    public record Credential(String token, Instant expiresAt) {}

    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;
    private final CachingTokenVerifier verifier;
    private final PrivateKey signingKey;
    private final String signingKeyId;
    private final List<EllipticCurveJsonWebKey> published;

    DeviceCredentialIssuer(
            @ConfigProperty(name = DeviceCredentials.ISSUER, defaultValue = DeviceCredentials.DEFAULT_ISSUER)
                    String issuer,
            @ConfigProperty(name = DeviceCredentials.AUDIENCE, defaultValue = DeviceCredentials.DEFAULT_AUDIENCE)
                    String audience,
            @ConfigProperty(name = TTL, defaultValue = "PT24H") Duration ttl,
            @ConfigProperty(name = SIGNING_KEY) Optional<String> signingKey,
            @ConfigProperty(name = PREVIOUS_KEYS) Optional<List<String>> previousKeys,
            @ConfigProperty(name = EPHEMERAL, defaultValue = "false") boolean ephemeral,
            Clock clock,
            CachingTokenVerifier verifier) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException(TTL + ": must be more than zero and at most 30 days, not " + ttl);
        }
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
        this.clock = clock;
        this.verifier = verifier;
        KeyPair pair = signingKey
                .map(location -> readPair(SIGNING_KEY, location))
                .orElseGet(() -> {
                    if (!ephemeral) {
                        throw new IllegalArgumentException(SIGNING_KEY + ": is required (a PEM file with the P-256"
                                + " PRIVATE KEY and its PUBLIC KEY that signs device credentials; see the deploy"
                                + " README), or set " + EPHEMERAL + "=true for a key that lives only as long as"
                                + " this process");
                    }
                    LOG.warn("Device credentials are signed with an ephemeral key: they stop working when this"
                            + " process ends, and another replica does not accept them");
                    return generate();
                });
        this.signingKey = pair.getPrivate();
        List<EllipticCurveJsonWebKey> keys = new ArrayList<>();
        keys.add(jwk(pair.getPublic()));
        for (String location : previousKeys.orElse(List.of())) {
            keys.add(jwk(readPublic(PREVIOUS_KEYS, location)));
        }
        this.signingKeyId = keys.get(0).getKeyId();
        this.published = List.copyOf(keys);
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        keys.forEach(k -> byId.put(k.getKeyId(), k.getPublicKey()));
        DeviceCredentials.useOwnKeys(byId);
    }

    /** A credential for {@code deviceId} of {@code tenantId}, valid for the configured time from now. */
    public Credential issue(String tenantId, String deviceId) {
        return issue(tenantId, deviceId, ttl);
    }

    /** A credential valid for {@code validFor} (tests make nearly ended ones). */
    Credential issue(String tenantId, String deviceId, Duration validFor) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(deviceId);
        claims.setClaim(Caller.DEVICE_CLAIM, deviceId);
        claims.setClaim(Caller.TENANT_CLAIM, tenantId);
        claims.setStringListClaim("groups", Roles.DEVICE);
        return sign(claims, validFor);
    }

    /**
     * A credential for the app instance {@code registrationId} of {@code userId} (MAM), of the instance's credential
     * {@code generation}, valid for the configured time from now.
     */
    public Credential issueForAppInstance(String tenantId, String registrationId, String userId, long generation) {
        return issueForAppInstance(tenantId, registrationId, userId, generation, ttl);
    }

    /** An app instance's credential valid for {@code validFor} (tests make nearly ended ones). */
    Credential issueForAppInstance(
            String tenantId, String registrationId, String userId, long generation, Duration validFor) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(registrationId);
        claims.setClaim(Caller.REGISTRATION_CLAIM, registrationId);
        claims.setClaim(Caller.USER_CLAIM, userId);
        claims.setClaim(Caller.GENERATION_CLAIM, generation);
        claims.setClaim(Caller.TENANT_CLAIM, tenantId);
        claims.setStringListClaim("groups", Roles.APP_INSTANCE);
        return sign(claims, validFor);
    }

    private Credential sign(JwtClaims claims, Duration validFor) {
        Instant now = clock.instant();
        Instant expires = now.plus(validFor);
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(signingKeyId);
        jws.setHeader("typ", "JWT");
        jws.setKey(signingKey);
        try {
            String token = jws.getCompactSerialization();
            // signed here: its first use here need not check the signature again
            verifier.rememberIssued(token, claims);
            // jose4j truncates NumericDate to seconds: answer the expiry the token carries
            return new Credential(token, Instant.ofEpochSecond(expires.getEpochSecond()));
        } catch (JoseException e) {
            throw new IllegalStateException("Could not sign a device credential", e);
        }
    }

    /**
     * Whether the caller acts with a credential of this issuer's that should be renewed now: less than half of a
     * credential's life is left.
     */
    public boolean renewalDue(Caller caller) {
        return caller.issuer().filter(issuer::equals).isPresent()
                && caller.expiresAt()
                        .filter(end -> Duration.between(clock.instant(), end).compareTo(ttl.dividedBy(2)) < 0)
                        .isPresent();
    }

    /** The public keys as a JWKS document: the signing key first, then the previous ones. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (EllipticCurveJsonWebKey key : published) {
            keys.add(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        }
        return Map.of("keys", keys);
    }

    private static EllipticCurveJsonWebKey jwk(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("A device credential key must be an EC P-256 key");
        }
        EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey(ec);
        jwk.setUse("sig");
        jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        return jwk;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private and public key of one PEM file, checked to belong together. */
    static KeyPair readPair(String property, String location) {
        Map<String, byte[]> blocks = pemBlocks(property, location);
        if (!blocks.containsKey("PRIVATE KEY") || !blocks.containsKey("PUBLIC KEY")) {
            throw new IllegalArgumentException(
                    property + ": " + location + " must hold a PKCS#8 'PRIVATE KEY' block and its 'PUBLIC KEY' block");
        }
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            KeyPair pair = new KeyPair(
                    ec.generatePublic(new X509EncodedKeySpec(blocks.get("PUBLIC KEY"))),
                    ec.generatePrivate(new PKCS8EncodedKeySpec(blocks.get("PRIVATE KEY"))));
            jwk(pair.getPublic());
            Signature sign = Signature.getInstance("SHA256withECDSA");
            sign.initSign(pair.getPrivate());
            byte[] probe = "bulwark".getBytes(StandardCharsets.US_ASCII);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance("SHA256withECDSA");
            verify.initVerify(pair.getPublic());
            verify.update(probe);
            if (!verify.verify(signature)) {
                throw new IllegalArgumentException(
                        property + ": the PUBLIC KEY in " + location + " is not the PRIVATE KEY's");
            }
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(property + ": " + location + " holds no EC P-256 key: " + e, e);
        }
    }

    private static PublicKey readPublic(String property, String location) {
        byte[] der = pemBlocks(property, location).get("PUBLIC KEY");
        if (der == null) {
            throw new IllegalArgumentException(property + ": " + location + " holds no 'PUBLIC KEY' block");
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(property + ": " + location + " holds no EC P-256 key: " + e, e);
        }
    }

    private static Map<String, byte[]> pemBlocks(String property, String location) {
        String text;
        try {
            text = Files.readString(Path.of(location.replaceFirst("^file:", "")), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(property + ": cannot read " + location, e);
        }
        Map<String, byte[]> blocks = new LinkedHashMap<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            blocks.put(m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
        }
        return blocks;
    }
}
