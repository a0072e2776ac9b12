package dev.bulwark.policy.flow;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One value read straight from policy-service's database, for what the API does not show (inbox rows, xmin). */
final class Rows {

    private Rows() {}

    /** The first column of the first row of {@code sql}; a {@code String[]} parameter is bound as a text array. */
    static String value(AgroalDataSource database, String sql, Object... parameters) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long count(AgroalDataSource database, String sql, Object... parameters) {
        return Long.parseLong(value(database, sql, parameters));
    }

    /**
     * How many transactions wrote the inbox rows of these events for {@code consumer}: the distinct {@code xmin} of
     * the rows (the id of the transaction that wrote each, the one that applied its event).
     */
    static long transactions(AgroalDataSource database, String consumer, java.util.Collection<String> eventIds) {
        return count(
                database,
                "select count(distinct xmin::text) from processed_event where consumer = ? and event_id = any(?)",
                consumer,
                eventIds.toArray(String[]::new));
    }
}
