package dev.bulwark.simulator;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The addresses of a running local stack, read from the {@code stack.properties} it writes into its data folder, so
 * that {@code --data-dir} alone points the simulator at a stack started with any port offset.
 */
public record StackAddresses(String registry, String assignment, String policy, String compliance, String kafka) {

    static final StackAddresses DEFAULTS = new StackAddresses(
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8082",
            "http://127.0.0.1:8083",
            "http://127.0.0.1:8084",
            "127.0.0.1:19092");

    /** The stack's addresses, or the defaults when no stack runs from {@code dataDir} (the file is then absent). */
    public static StackAddresses read(Path dataDir) {
        Path file = dataDir.resolve("stack.properties");
        if (!Files.isRegularFile(file)) {
            return DEFAULTS;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("--data-dir: cannot read " + file + ": " + e.getMessage());
        }
        return new StackAddresses(
                p.getProperty("device-registry.url", DEFAULTS.registry),
                p.getProperty("assignment-service.url", DEFAULTS.assignment),
                p.getProperty("policy-service.url", DEFAULTS.policy),
                p.getProperty("compliance-service.url", DEFAULTS.compliance),
                p.getProperty("kafka.bootstrap.servers", DEFAULTS.kafka));
    }
}
