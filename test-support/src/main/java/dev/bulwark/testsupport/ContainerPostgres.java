package dev.bulwark.testsupport;

import dev.bulwark.infra.PostgresServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a container, used only where a Docker engine answers. */
final class ContainerPostgres {

    private ContainerPostgres() {}

    static boolean dockerAnswers() {
        // Ask Testcontainers only where an engine could be: it logs an error for every strategy it tries otherwise.
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        String host = System.getenv("DOCKER_HOST");
        if (!socket && (host == null || host.isBlank())) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
    static PostgresServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:18-alpine");
        container.start();
        return PostgresServer.external(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
}
