package dev.bulwark.testsupport;

import dev.bulwark.infra.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Takes one service's database away while the PostgreSQL server stays up, as an outage looks to that service: new
 * connections are refused ({@code ALLOW_CONNECTIONS false}) and its open sessions are terminated. {@link #close()}
 * gives it back. Works from the test's own connection to the server's {@code postgres} database, so the other test
 * databases on the shared server are untouched.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final PostgresServer server;
    private final String database;
    private boolean away;

    private DatabaseOutage(PostgresServer server, String database) {
        this.server = server;
        this.database = database;
    }

    /** Takes {@code database} (the name in the service's JDBC URL) away now. */
    public static DatabaseOutage begin(String database) {
        DatabaseOutage outage = new DatabaseOutage(BulwarkInfra.postgres(), database);
        outage.execute("alter database \"" + database + "\" allow_connections false");
        outage.away = true;
        outage.terminateSessions();
        return outage;
    }

    /** The database name in a PostgreSQL JDBC URL such as {@code jdbc:postgresql://host:5432/name?x=y}. */
    public static String databaseOf(String jdbcUrl) {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** Terminates the database's sessions again (a pool may have opened one in the instant before the refusal). */
    public void terminateSessions() {
        execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
                + "' and pid <> pg_backend_pid()");
    }

    /** Gives the database back. */
    @Override
    public void close() {
        if (away) {
            execute("alter database \"" + database + "\" allow_connections true");
            away = false;
        }
    }

    private void execute(String sql) {
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + server, e);
        }
    }
}
