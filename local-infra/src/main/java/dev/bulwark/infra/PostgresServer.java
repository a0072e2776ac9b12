package dev.bulwark.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server: one reached by an administrator URL, or embedded PostgreSQL binaries (zonky) run from a
 * data folder. Each service gets its own database on it.
 */
public abstract class PostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** A server reached with this administrator URL (any database on it, e.g. {@code .../postgres}). */
    public static PostgresServer external(String adminJdbcUrl, String username, String password) {
        return new External(adminJdbcUrl, username, password);
    }

    /**
     * Embedded PostgreSQL with its data in {@code dataDir}, listening on {@code port} (0 picks a free one). A folder
     * initialised before is reused as it is.
     */
    public static PostgresServer embedded(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    // seven databases share autovacuum's rounds: with the default 1 min a bench's fresh tables went
                    // unvacuumed through a whole phase (docs/perf/2026-12-05-lock-queries.md)
                    .setServerConfig("autovacuum_naptime", "10s");
            if (port != 0) {
                builder.setPort(port);
            }
            return new Embedded(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start in " + dataDir, e);
        }
    }

    /** The JDBC URL of {@code database} on this server. */
    public abstract String jdbcUrl(String database);

    public abstract String username();

    public abstract String password();

    /** Host and port, e.g. {@code 127.0.0.1:5432}, for messages. */
    public abstract String address();

    /** Creates {@code database} unless it exists. Names are lower-case letters, digits and underscores. */
    public void createDatabaseIfMissing(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username(), password())) {
            try (PreparedStatement exists =
                    connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + database);
            } catch (SQLException e) {
                // 42P04: another process created it between the check and the create.
                if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + " on " + address(), e);
        }
    }

    @Override
    public abstract void close();

    private static final class External extends PostgresServer {
        private final String adminUrl;
        private final String username;
        private final String password;
        private final String prefix;
        private final String suffix;

        External(String adminUrl, String username, String password) {
            if (!adminUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + adminUrl);
            }
            this.adminUrl = adminUrl;
            this.username = username;
            this.password = password == null ? "" : password;
            int hostStart = "jdbc:postgresql://".length();
            int slash = adminUrl.indexOf('/', hostStart);
            int query = adminUrl.indexOf('?', hostStart);
            this.prefix =
                    slash < 0 ? (query < 0 ? adminUrl : adminUrl.substring(0, query)) : adminUrl.substring(0, slash);
            this.suffix = query < 0 ? "" : adminUrl.substring(query);
        }

        @Override
        public String jdbcUrl(String database) {
            return prefix + "/" + database + suffix;
        }

        @Override
        public String username() {
            return username;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public String address() {
            return prefix.substring("jdbc:postgresql://".length());
        }

        @Override
        public void close() {
            // Not ours to stop.
        }

        @Override
        public String toString() {
            return "PostgreSQL at " + adminUrl;
        }
    }

    private static final class Embedded extends PostgresServer {
        private final EmbeddedPostgres postgres;

        Embedded(EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
        }

        @Override
        public String username() {
            return "postgres";
        }

        @Override
        public String password() {
            return "";
        }

        @Override
        public String address() {
            return "127.0.0.1:" + postgres.getPort();
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "embedded PostgreSQL at " + address();
        }
    }
}
