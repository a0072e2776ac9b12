package dev.bulwark.deploy;

import java.util.Map;
import java.util.Optional;

/**
 * An administrator login to a PostgreSQL server the stack should use instead of starting its own, e.g. the
 * machine's server in CI. It comes from {@code BULWARK_DB_URL}, {@code BULWARK_DB_USER} and {@code
 * BULWARK_DB_PASSWORD}, as in the tests, so one setting serves both.
 */
public record ExternalPostgres(String adminJdbcUrl, String username, String password) {

    public static final String URL_ENV = "BULWARK_DB_URL";
    public static final String USER_ENV = "BULWARK_DB_USER";
    public static final String PASSWORD_ENV = "BULWARK_DB_PASSWORD";

    public ExternalPostgres {
        if (adminJdbcUrl == null || !adminJdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(URL_ENV + " must be a jdbc:postgresql:// URL, not " + adminJdbcUrl);
        }
        username = username == null || username.isBlank() ? "postgres" : username;
        password = password == null ? "" : password;
    }

    /** The server named by the environment, if {@code BULWARK_DB_URL} is set; the user defaults to postgres. */
    public static Optional<ExternalPostgres> fromEnvironment(Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ExternalPostgres(url.trim(), env.get(USER_ENV), env.get(PASSWORD_ENV)));
    }

    @Override
    public String toString() {
        // Never print the password.
        return "ExternalPostgres[" + adminJdbcUrl + ", user " + username + "]";
    }
}
