package dev.bulwark.deploy.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end with a time limit and hands back what it printed. */
final class Processes {

    /** Exit code and the two outputs of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {}

    private Processes() {}

    static Result run(Path workingDirectory, Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // Settings of the developer's shell must not leak into what the scripts compute (image prefix, version,
        // the docker client, the kafka-topics tool).
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("BULWARK_")
                        || name.equals("DOCKER")
                        || name.equals("DOCKER_BUILDKIT")
                        || name.equals("KAFKA_TOPICS"));
        builder.environment().putAll(environment);
        try {
            Path out = Files.createTempFile("deploy-test", ".out");
            Path err = Files.createTempFile("deploy-test", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after 120 s: " + command);
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** Whether a command can be started and exits 0 (e.g. {@code kubectl version --client}). */
    static boolean works(List<String> command) {
        try {
            return run(Path.of("").toAbsolutePath(), Map.of(), command).exitCode() == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
