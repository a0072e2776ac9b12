package dev.bulwark.signoutbridge;

import dev.bulwark.idp.DemoRealm;
import dev.bulwark.idp.KeycloakAccounts;
import dev.bulwark.idp.KeycloakServer;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bridge's real surroundings: the shared Kafka broker and PostgreSQL of {@link BulwarkInfra}, and a real Keycloak
 * with the demo realm (its own database on that PostgreSQL), reached through a {@link Forwarder} a test can cut. Also
 * a second public client, {@value #MAIL_CLIENT}, that stands for the protected app {@value #MAIL_APP}.
 */
public class BridgeInfra implements QuarkusTestResourceLifecycleManager {

    static final String MAIL_APP = "com.contoso.mail";
    static final String MAIL_CLIENT = "contoso-mail";

    private static KeycloakServer keycloak;
    private static Forwarder forwarder;

    @Override
    public Map<String, String> start() {
        ensureStarted();
        return Map.of(
                "kafka.bootstrap.servers",
                BulwarkInfra.kafkaBootstrap(),
                "bulwark.signout-bridge.keycloak.url",
                "http://127.0.0.1:" + forwarder.port(),
                "bulwark.signout-bridge.keycloak.realm",
                DemoRealm.NAME,
                "bulwark.signout-bridge.keycloak.app-clients.\"" + MAIL_APP + "\"",
                MAIL_CLIENT,
                "bulwark.signout-bridge.keycloak.timeout",
                "PT2S",
                "bulwark.signout-bridge.initial-backoff",
                "PT0.1S",
                "bulwark.signout-bridge.max-backoff",
                "PT0.5S");
    }

    @Override
    public void stop() {
        // Keycloak lives for the whole test JVM; a shutdown hook stops it.
    }

    static KeycloakServer keycloak() {
        ensureStarted();
        return keycloak;
    }

    static KeycloakAccounts accounts() {
        return KeycloakAccounts.demo(keycloak());
    }

    static Forwarder forwarder() {
        ensureStarted();
        return forwarder;
    }

    private static synchronized void ensureStarted() {
        if (keycloak != null) {
            return;
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("signout-bridge-keycloak");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the distribution identity-provider's tests unpacked and built already, when they ran in this build
        Path shared = Path.of("../identity-provider/target/keycloak");
        Path cache = Files.isDirectory(shared) ? shared : Path.of("target/keycloak");
        keycloak = KeycloakServer.start(KeycloakServer.Settings.of(dataDir, BulwarkInfra.postgres())
                .withDistributionCache(cache)
                .withDatabase("keycloak_bridge_"
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())));
        forwarder = Forwarder.to("127.0.0.1", keycloak.port());
        KeycloakAccounts.demo(keycloak).createPublicClient(MAIL_CLIENT);
        Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "bridge-keycloak-stop"));
    }
}
