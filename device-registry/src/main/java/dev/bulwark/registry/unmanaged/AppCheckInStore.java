package dev.bulwark.registry.unmanaged;

import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The rows of an app check-in group, in plain JDBC on the transaction's connection: one query locks the group's app
 * instances, one batch writes what the group changed. A measured hot path, as {@code managed.DeviceCheckInStore}
 * (issue 15, docs/perf/2026-12-04-front-door-2.md); the rest of the service keeps Hibernate.
 */
@ApplicationScoped
public class AppCheckInStore {

    /** Locked in id order, so two groups locking overlapping sets wait for each other rather than deadlock. */
    private static final String LOCK =
            "select registration_id, tenant_id, user_id, app_id, platform, state_reported_at, credential_generation"
                    + " from app_instance where registration_id = any (?) order by registration_id for update";

    private static final String WRITE_STATE = "update app_instance set last_contact_at = ?, state_reported_at = ?,"
            + " os_version = ?, app_version = ?, pin_set = ?, jailbroken = ? where registration_id = ?";

    private static final String WRITE_CONTACT = "update app_instance set last_contact_at = ? where registration_id = ?";

    private static final String WRITE_GENERATION =
            "update app_instance set credential_generation = ? where registration_id = ?";

    /**
     * An app instance as a check-in group holds it: what the decisions and the event need, and the state the group
     * leaves it in (two reports of one instance in a group: the second sees the first's outcome).
     */
    static final class LockedInstance {
        final String registrationId;
        final String tenantId;
        final String userId;
        final String appId;
        final OsPlatform platform;
        Instant lastContactAt;
        Instant stateReportedAt;
        String osVersion;
        String appVersion;
        boolean pinSet;
        boolean jailbroken;
        /** The group moved its contact time. */
        boolean contacted;
        /** The group stored a report as its state (else only the contact time is written). */
        boolean stateChanged;
        /** The generation of the instance's credentials; moved on by a successful selective wipe. */
        long credentialGeneration;
        /** The group moved the credential generation on (every credential held so far is revoked). */
        boolean credentialsRevoked;

        LockedInstance(
                String registrationId,
                String tenantId,
                String userId,
                String appId,
                OsPlatform platform,
                Instant stateReportedAt) {
            this.registrationId = registrationId;
            this.tenantId = tenantId;
            this.userId = userId;
            this.appId = appId;
            this.platform = platform;
            this.stateReportedAt = stateReportedAt;
        }
    }

    private final DataSource dataSource;

    AppCheckInStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The instances among {@code registrationIds} (of any tenant: the caller checks), held until the transaction ends. */
    Map<String, LockedInstance> lockAll(Collection<String> registrationIds) {
        Map<String, LockedInstance> locked = new HashMap<>();
        // inside the transaction the pool hands out the connection enlisted in it
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(
                    1,
                    connection.createArrayOf(
                            "text", registrationIds.stream().distinct().toArray()));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    OffsetDateTime reportedAt = rows.getObject(6, OffsetDateTime.class);
                    LockedInstance instance = new LockedInstance(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            OsPlatform.valueOf(rows.getString(5)),
                            reportedAt == null ? null : reportedAt.toInstant());
                    instance.credentialGeneration = rows.getLong(7);
                    locked.put(instance.registrationId, instance);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock the check-in group's app instances", e);
        }
        return locked;
    }

    /** Writes what the group changed: the whole state where a report was stored, else the contact time. */
    void write(Collection<LockedInstance> instances) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement state = connection.prepareStatement(WRITE_STATE);
                PreparedStatement contact = connection.prepareStatement(WRITE_CONTACT);
                PreparedStatement generation = connection.prepareStatement(WRITE_GENERATION)) {
            int states = 0;
            int contacts = 0;
            int generations = 0;
            for (LockedInstance instance : instances) {
                if (instance.credentialsRevoked) {
                    generation.setLong(1, instance.credentialGeneration);
                    generation.setString(2, instance.registrationId);
                    generation.addBatch();
                    generations++;
                }
                if (instance.stateChanged) {
                    state.setObject(1, at(instance.lastContactAt));
                    state.setObject(2, at(instance.stateReportedAt));
                    state.setString(3, instance.osVersion);
                    state.setString(4, instance.appVersion);
                    state.setBoolean(5, instance.pinSet);
                    state.setBoolean(6, instance.jailbroken);
                    state.setString(7, instance.registrationId);
                    state.addBatch();
                    states++;
                } else if (instance.contacted) {
                    contact.setObject(1, at(instance.lastContactAt));
                    contact.setString(2, instance.registrationId);
                    contact.addBatch();
                    contacts++;
                }
            }
            if (states > 0) {
                state.executeBatch();
            }
            if (contacts > 0) {
                contact.executeBatch();
            }
            if (generations > 0) {
                generation.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the check-in group's app instances", e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
