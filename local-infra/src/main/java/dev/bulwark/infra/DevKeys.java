package dev.bulwark.infra;

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
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The RSA key pair a local stack or a test run signs its bearer tokens with, kept as PEM files in one folder (made on
 * first use, reused after), and the minting of tokens with Bulwark's claims: {@code tenant_id}, {@code groups} (the
 * roles), {@code sub}/{@code upn}, and {@code device_id} for a device's agent.
 */
public final class DevKeys {

    public static final String DEFAULT_ISSUER = "https://bulwark.local";
    private static final String PRIVATE_FILE = "jwt-private.pem";
    private static final String PUBLIC_FILE = "jwt-public.pem";
    private static final String DEVICE_CREDENTIAL_FILE = "device-credential-key.pem";

    private final Path publicKey;
    private final PrivateKey privateKey;

    private DevKeys(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** The key pair in {@code folder}, generated there if it is not there yet. */
    public static synchronized DevKeys loadOrCreate(Path folder) {
        try {
            Files.createDirectories(folder);
            Path privatePem = folder.resolve(PRIVATE_FILE);
            Path publicPem = folder.resolve(PUBLIC_FILE);
            if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path tmpPublic = Files.createTempFile(folder, "pub", ".tmp");
                Path tmpPrivate = Files.createTempFile(folder, "key", ".tmp");
                Files.writeString(tmpPublic, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(
                        tmpPrivate, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                // The public key is public: containers running as another user (docker-compose) must read it.
                try {
                    Files.setPosixFilePermissions(
                            tmpPublic, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system; its default permissions apply.
                }
                Files.move(tmpPublic, publicPem, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmpPrivate, privatePem, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            deviceCredentialKey(folder);
            return new DevKeys(publicPem.toAbsolutePath(), readPrivate(privatePem));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the token keys in " + folder, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make the token keys in " + folder, e);
        }
    }

    /** The PEM file of the public key: what a service's {@code mp.jwt.verify.publickey.location} points at. */
    public Path publicKeyPath() {
        return publicKey;
    }

    /**
     * The PEM file of the EC P-256 key device-registry signs device credentials with (its
     * {@code bulwark.device-credentials.signing-key.location}): the PKCS#8 {@code PRIVATE KEY} and its
     * {@code PUBLIC KEY}, made in the keys folder with the token key pair and reused after, so credentials outlive a
     * restart of the stack and every device-registry replica signs with the same key.
     */
    public Path deviceCredentialKeyPath() {
        return publicKey.getParent().resolve(DEVICE_CREDENTIAL_FILE);
    }

    /**
     * Makes the device credential key if the folder does not have it yet. Readable by all, like the public key: it is a
     * local stack's key (never a production one), and docker-compose's device-registry runs as another user.
     */
    private static void deviceCredentialKey(Path folder) throws IOException, GeneralSecurityException {
        Path file = folder.resolve(DEVICE_CREDENTIAL_FILE);
        if (Files.exists(file)) {
            return;
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Path tmp = Files.createTempFile(folder, "device", ".tmp");
        Files.writeString(
                tmp,
                pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                        + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; its default permissions apply.
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A signed token for {@code subject} in {@code tenantId} with {@code roles}, valid for {@code ttl}. */
    public String mint(
            String issuer,
            String tenantId,
            String subject,
            Set<String> roles,
            Optional<String> deviceId,
            Duration ttl) {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder claims = new StringBuilder("{")
                .append("\"iss\":")
                .append(json(issuer))
                .append(",\"sub\":")
                .append(json(subject))
                .append(",\"upn\":")
                .append(json(subject))
                .append(",\"tenant_id\":")
                .append(json(tenantId))
                .append(",\"groups\":")
                .append(roles.stream().sorted().map(DevKeys::json).collect(Collectors.joining(",", "[", "]")))
                .append(",\"jti\":")
                .append(json(UUID.randomUUID().toString()))
                .append(",\"iat\":")
                .append(now)
                .append(",\"exp\":")
                .append(now + ttl.toSeconds());
        deviceId.ifPresent(device -> claims.append(",\"device_id\":").append(json(device)));
        claims.append('}');
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"bulwark-dev\"}") + "."
                + base64Url(claims.toString());
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal. */
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static PrivateKey readPrivate(Path pem) throws IOException, GeneralSecurityException {
        String body = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
