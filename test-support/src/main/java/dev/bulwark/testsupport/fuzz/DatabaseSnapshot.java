package dev.bulwark.testsupport.fuzz;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The state of a service's database as far as one tenant can see it: for every table, its row count and a digest of
 * its rows. Tables with a {@code tenant_id} column are read for the tenant only (the database may hold other test
 * classes' tenants, still being worked on by consumers); others whole. Two snapshots differ when a row was added,
 * removed or changed.
 */
record DatabaseSnapshot(Map<String, TableState> tables) {

    /** One table's row count and an order-independent digest of its rows. */
    record TableState(long rows, String digest) {}

    static final String OUTBOX = "outbox_event";

    static DatabaseSnapshot take(DataSource dataSource, String tenantId, Set<String> ignored) {
        Map<String, TableState> tables = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String[]> names = new ArrayList<>();
            try (PreparedStatement list = connection.prepareStatement(
                            """
                            select t.table_name,
                                   exists (select 1 from information_schema.columns c
                                           where c.table_schema = t.table_schema and c.table_name = t.table_name
                                             and c.column_name = 'tenant_id')
                            from information_schema.tables t
                            where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                            order by t.table_name""");
                    ResultSet rows = list.executeQuery()) {
                while (rows.next()) {
                    names.add(new String[] {rows.getString(1), String.valueOf(rows.getBoolean(2))});
                }
            }
            for (String[] table : names) {
                if (ignored.contains(table[0]) || table[0].equals(OUTBOX)) {
                    continue;
                }
                boolean tenantScoped = Boolean.parseBoolean(table[1]);
                String sql = "select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '')"
                        + " from \"" + table[0] + "\" t" + (tenantScoped ? " where tenant_id = ?" : "");
                try (PreparedStatement count = connection.prepareStatement(sql)) {
                    if (tenantScoped) {
                        count.setString(1, tenantId);
                    }
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        tables.put(table[0], new TableState(rows.getLong(1), rows.getString(2)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the service's tables", e);
        }
        return new DatabaseSnapshot(tables);
    }

    /** Rows waiting in the outbox (the relay deletes what it has published). */
    static long outboxRows(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from " + OUTBOX);
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the outbox", e);
        }
    }

    /** One line per table that differs: its name, the row counts before and after, and whether rows changed. */
    List<String> differencesTo(DatabaseSnapshot after) {
        List<String> differences = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(tables.keySet());
        names.addAll(after.tables.keySet());
        for (String name : names) {
            TableState was = tables.getOrDefault(name, new TableState(0, ""));
            TableState is = after.tables.getOrDefault(name, new TableState(0, ""));
            if (!was.equals(is)) {
                differences.add(name + ": " + was.rows() + " → " + is.rows() + " rows"
                        + (was.rows() == is.rows() ? " (contents changed)" : ""));
            }
        }
        return differences;
    }
}
