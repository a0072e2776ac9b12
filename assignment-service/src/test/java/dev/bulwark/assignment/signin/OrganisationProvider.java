package dev.bulwark.assignment.signin;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * An organisation's OIDC provider for a {@code @QuarkusTest}, shaped like a Keycloak realm: discovery and a JWKS over
 * real HTTP, the JWKS read from a file on every request so the test can rotate keys by rewriting it
 * ({@link #serve}). The service under test is configured for it as an operator would, with a fixed tenant and roles
 * from {@code realm_access.roles}; the signing keys' private halves reach the test through configuration
 * ({@code test.oidc.key.<kid>}) so nothing is shared through static fields across class loaders.
 */
public class OrganisationProvider implements QuarkusTestResourceLifecycleManager {

    static final String TENANT = "acme-from-provider";
    static final String AUDIENCE = "bulwark";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("oidc-provider");
            Path jwks = dir.resolve("jwks.json");
            KeyPair first = rsa();
            KeyPair second = rsa();
            serve(jwks, Map.of("kc-1", first));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/acme";
            server.createContext("/realms/acme/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                byte[] body;
                int status = 200;
                if (path.endsWith("/.well-known/openid-configuration")) {
                    body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
                                    + "/protocol/openid-connect/certs\"}")
                            .getBytes(StandardCharsets.UTF_8);
                } else if (path.endsWith("/protocol/openid-connect/certs")) {
                    body = Files.readAllBytes(jwks);
                } else {
                    status = 404;
                    body = "{}".getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            Map<String, String> config = new HashMap<>();
            config.put("bulwark.oidc.issuers", "acme");
            config.put("bulwark.oidc.acme.issuer", issuer);
            config.put("bulwark.oidc.acme.audience", AUDIENCE);
            config.put("bulwark.oidc.acme.tenant", TENANT);
            config.put("bulwark.oidc.acme.roles-claim", "realm_access.roles");
            config.put("bulwark.oidc.acme.role-map", "bulwark-admins=admin,bulwark-users=user");
            config.put("bulwark.oidc.acme.user-claim", "preferred_username");
            config.put("bulwark.oidc.jwks.min-refresh-interval", "PT0S");
            config.put("test.oidc.jwks-file", jwks.toString());
            config.put("test.oidc.key.kc-1", privateKey(first));
            config.put("test.oidc.key.kc-2", privateKey(second));
            config.put("test.oidc.public.kc-1", publicKey(first));
            config.put("test.oidc.public.kc-2", publicKey(second));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the provider publish exactly these keys from now on. */
    static void serve(Path jwks, Map<String, KeyPair> keys) throws IOException {
        JsonWebKeySet set = new JsonWebKeySet();
        keys.forEach((kid, pair) -> {
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            set.addJsonWebKey(jwk);
        });
        Files.writeString(jwks, set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String privateKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    }

    private static String publicKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
