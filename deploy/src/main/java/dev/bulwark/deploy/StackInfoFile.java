package dev.bulwark.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code stack.properties} in the data folder: where a running stack listens, written once it is ready and removed
 * when it stops, so {@code ./bulwark events} (and people) find the running broker without being told its port.
 */
final class StackInfoFile {

    static final String FILE_NAME = "stack.properties";
    static final String KAFKA = "kafka.bootstrap.servers";

    private StackInfoFile() {}

    static void write(RunningStack stack) {
        Properties info = new Properties();
        info.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        info.setProperty(KAFKA, stack.bootstrapServers());
        info.setProperty("postgres.address", stack.postgresAddress());
        stack.keycloak().ifPresent(keycloak -> info.setProperty("oidc.issuer", keycloak.issuer()));
        for (ServiceProcess service : stack.services()) {
            // compliance-service.url, and compliance-service-2.url for a second replica
            info.setProperty(service.name() + ".url", service.url());
        }
        Path file = stack.dataDir().resolve(FILE_NAME);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            info.store(out, "The running Bulwark local stack; removed when it stops");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME));
        } catch (IOException e) {
            // Stale information is harmless: the next start overwrites it.
        }
    }

    /** The broker of the stack running on {@code dataDir}, if one wrote its file. */
    static Optional<String> bootstrapServers(Path dataDir) {
        return read(dataDir).map(info -> info.getProperty(KAFKA));
    }

    /**
     * The base URL of {@code service} (its first replica) in the stack running on {@code dataDir}, if one wrote its
     * file.
     */
    static Optional<String> serviceUrl(Path dataDir, BulwarkService service) {
        return read(dataDir).map(info -> info.getProperty(service.moduleName() + ".url"));
    }

    private static Optional<Properties> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties info = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            info.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(info);
    }
}
