package dev.bulwark.registry.imports;

import dev.bulwark.registry.directory.Licences;
import dev.bulwark.registry.directory.Licences.Licence;
import dev.bulwark.registry.groups.GroupMemberships;
import dev.bulwark.registry.groups.GroupType;
import dev.bulwark.registry.shared.KeyLock;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/**
 * Applies the staged lines of one import to the tenant's directory in one transaction: groups, then users, then
 * memberships, each effective change with the event the single endpoints publish for it (through {@link Licences} and
 * {@link GroupMemberships}). Any refused line rolls the whole transaction back, events included, so an import is all
 * or nothing. Lines are read in chunks so that a large import never sits in memory at once.
 */
@ApplicationScoped
class DirectoryImport {

    /** Staged lines read per query. */
    static final int CHUNK = 500;

    private record GroupRow(long line, String groupId, String name, GroupType kind, String oldName, String oldKind) {}

    private record UserRow(
            long line,
            String userId,
            String displayName,
            String email,
            Boolean licensed,
            String sku,
            boolean exists,
            String oldDisplayName,
            String oldEmail,
            boolean oldLicensed,
            String oldSku) {}

    private record MembershipRow(long line, String groupId, String memberId, String kind) {}

    /** Running counts of one import. */
    private static final class Tally {
        long usersCreated;
        long usersUpdated;
        long usersUnchanged;
        long licencesChanged;
        long groupsCreated;
        long groupsUpdated;
        long groupsUnchanged;
        long membershipsAdded;
        long membershipsUnchanged;

        ImportSummary summary(String importId, long lines) {
            return new ImportSummary(
                    importId,
                    lines,
                    new ImportSummary.Users(usersCreated, usersUpdated, usersUnchanged),
                    licencesChanged,
                    new ImportSummary.Groups(groupsCreated, groupsUpdated, groupsUnchanged),
                    new ImportSummary.Memberships(membershipsAdded, membershipsUnchanged),
                    licencesChanged + membershipsAdded);
        }
    }

    private final EntityManager entityManager;
    private final KeyLock keyLock;
    private final Licences licences;
    private final GroupMemberships memberships;

    DirectoryImport(EntityManager entityManager, KeyLock keyLock, Licences licences, GroupMemberships memberships) {
        this.entityManager = entityManager;
        this.keyLock = keyLock;
        this.licences = licences;
        this.memberships = memberships;
    }

    /**
     * @throws ImportRejected 400 for a user or group that appears twice, 422 for a group whose kind would change or a
     *     membership whose group or member the tenant does not have; nothing is written then
     */
    @Transactional
    @TransactionConfiguration(timeout = 600, timeoutFromConfigProperty = "bulwark.registry.import.apply-timeout")
    ImportSummary apply(String importId, String tenantId, long lines) {
        // Imports of one tenant queue up: two feeds interleaving their row locks could deadlock each other.
        keyLock.lock("directory-import", tenantId, "");
        refuseDuplicates(importId, "USER", "user_id", "userId", "user");
        refuseDuplicates(importId, "GROUP", "group_id", "groupId", "group");
        Tally tally = new Tally();
        applyGroups(importId, tenantId, tally);
        applyUsers(importId, tenantId, tally);
        refuseUnknownMembers(importId);
        applyMemberships(importId, tenantId, tally);
        return tally.summary(importId, lines);
    }

    private void refuseDuplicates(String importId, String kind, String column, String field, String noun) {
        String sql = "select line_no, key, first_line from (select line_no, " + column + " as key,"
                + " min(line_no) over (partition by " + column + ") as first_line from import_line"
                + " where import_id = ? and kind = ?) d where line_no > first_line order by line_no limit 1";
        jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, importId);
                query.setString(2, kind);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        throw ImportRejected.malformed(
                                rs.getLong(1),
                                field,
                                noun + " '" + rs.getString(2) + "' is on line " + rs.getLong(3) + " already; each "
                                        + noun + " may appear once per import");
                    }
                }
            }
            return null;
        });
    }

    private void applyGroups(String importId, String tenantId, Tally tally) {
        String sql = "select s.line_no, s.group_id, s.group_name, s.group_kind, g.name, g.kind from import_line s"
                + " left join directory_group g on g.tenant_id = s.tenant_id and g.group_id = s.group_id"
                + " where s.import_id = ? and s.kind = 'GROUP' and s.line_no > ? order by s.line_no limit ?";
        long after = 0;
        List<GroupRow> chunk;
        while (!(chunk = chunk(
                        sql,
                        importId,
                        after,
                        rs -> new GroupRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                GroupType.valueOf(rs.getString(4)),
                                rs.getString(5),
                                rs.getString(6))))
                .isEmpty()) {
            for (GroupRow row : chunk) {
                applyGroup(tenantId, row, tally);
            }
            after = chunk.get(chunk.size() - 1).line();
        }
    }

    private void applyGroup(String tenantId, GroupRow row, Tally tally) {
        if (row.oldKind() == null) {
            boolean created = update(
                            "insert into directory_group (tenant_id, group_id, name, kind) values (?, ?, ?, ?)"
                                    + " on conflict do nothing",
                            tenantId,
                            row.groupId(),
                            row.name(),
                            row.kind().name())
                    == 1;
            if (created) {
                tally.groupsCreated++;
                return;
            }
            // Created by an admin meanwhile: compare with what they created.
            String[] current = jdbc(connection -> {
                try (PreparedStatement query = connection.prepareStatement(
                        "select name, kind from directory_group where tenant_id = ? and group_id = ?")) {
                    query.setString(1, tenantId);
                    query.setString(2, row.groupId());
                    try (ResultSet rs = query.executeQuery()) {
                        rs.next();
                        return new String[] {rs.getString(1), rs.getString(2)};
                    }
                }
            });
            applyGroup(
                    tenantId,
                    new GroupRow(row.line(), row.groupId(), row.name(), row.kind(), current[0], current[1]),
                    tally);
            return;
        }
        if (!row.oldKind().equals(row.kind().name())) {
            throw ImportRejected.unprocessable(
                    row.line(),
                    "kind",
                    "group '" + row.groupId() + "' is a " + row.oldKind() + " group; a group's kind cannot change");
        }
        if (row.oldName().equals(row.name())) {
            tally.groupsUnchanged++;
            return;
        }
        update(
                "update directory_group set name = ? where tenant_id = ? and group_id = ?",
                row.name(),
                tenantId,
                row.groupId());
        tally.groupsUpdated++;
    }

    private void applyUsers(String importId, String tenantId, Tally tally) {
        // Lock every existing user the feed names before reading them, so an admin's licence call cannot slip in
        // between the comparison and the write (their call locks the same row).
        jdbc(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("select count(*) from (select 1 from"
                    + " directory_user u where u.tenant_id = ? and u.user_id in (select s.user_id from import_line s"
                    + " where s.import_id = ? and s.kind = 'USER') order by u.user_id for update of u) locked")) {
                lock.setString(1, tenantId);
                lock.setString(2, importId);
                lock.executeQuery().close();
            }
            return null;
        });
        String sql = "select s.line_no, s.user_id, s.display_name, s.email, s.licensed, s.sku, u.user_id,"
                + " u.display_name, u.email, u.licensed, u.sku from import_line s left join directory_user u"
                + " on u.tenant_id = s.tenant_id and u.user_id = s.user_id"
                + " where s.import_id = ? and s.kind = 'USER' and s.line_no > ? order by s.line_no limit ?";
        long after = 0;
        List<UserRow> chunk;
        while (!(chunk = chunk(
                        sql,
                        importId,
                        after,
                        rs -> new UserRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                (Boolean) rs.getObject(5),
                                rs.getString(6),
                                rs.getString(7) != null,
                                rs.getString(8),
                                rs.getString(9),
                                rs.getBoolean(10),
                                rs.getString(11))))
                .isEmpty()) {
            for (UserRow row : chunk) {
                applyUser(tenantId, row, tally);
            }
            after = chunk.get(chunk.size() - 1).line();
        }
    }

    private void applyUser(String tenantId, UserRow row, Tally tally) {
        if (!row.exists()) {
            Licence licence = Boolean.TRUE.equals(row.licensed())
                    ? licences.requested(true, Optional.ofNullable(row.sku()))
                    : Licence.NONE;
            boolean created = update(
                            "insert into directory_user (tenant_id, user_id, display_name, email, licensed, sku)"
                                    + " values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                            tenantId,
                            row.userId(),
                            row.displayName(),
                            row.email(),
                            licence.licensed(),
                            licence.sku())
                    == 1;
            if (created) {
                tally.usersCreated++;
                if (licence.licensed()) {
                    licences.publishChange(tenantId, row.userId(), licence);
                    tally.licencesChanged++;
                }
                return;
            }
            // Created by an admin meanwhile: treat the line as an update of what they created.
            applyExistingUser(tenantId, lockedCurrent(tenantId, row), tally);
            return;
        }
        applyExistingUser(tenantId, row, tally);
    }

    private UserRow lockedCurrent(String tenantId, UserRow row) {
        return jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement("select display_name, email, licensed, sku"
                    + " from directory_user where tenant_id = ? and user_id = ? for update")) {
                query.setString(1, tenantId);
                query.setString(2, row.userId());
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return new UserRow(
                            row.line(),
                            row.userId(),
                            row.displayName(),
                            row.email(),
                            row.licensed(),
                            row.sku(),
                            true,
                            rs.getString(1),
                            rs.getString(2),
                            rs.getBoolean(3),
                            rs.getString(4));
                }
            }
        });
    }

    private void applyExistingUser(String tenantId, UserRow row, Tally tally) {
        Licence current = new Licence(row.oldLicensed(), row.oldSku());
        Licence wanted;
        if (row.licensed() == null) {
            wanted = current;
        } else if (row.licensed() && row.sku() == null && current.licensed()) {
            // A feed that says "licensed" without a product keeps the product an admin chose.
            wanted = current;
        } else {
            wanted = licences.requested(row.licensed(), Optional.ofNullable(row.sku()));
        }
        boolean licenceChanged = !wanted.equals(current);
        boolean profileChanged =
                !row.displayName().equals(row.oldDisplayName()) || !Objects.equals(row.email(), row.oldEmail());
        if (!licenceChanged && !profileChanged) {
            tally.usersUnchanged++;
            return;
        }
        update(
                "update directory_user set display_name = ?, email = ?, licensed = ?, sku = ?"
                        + " where tenant_id = ? and user_id = ?",
                row.displayName(),
                row.email(),
                wanted.licensed(),
                wanted.sku(),
                tenantId,
                row.userId());
        tally.usersUpdated++;
        if (licenceChanged) {
            licences.publishChange(tenantId, row.userId(), wanted);
            tally.licencesChanged++;
        }
    }

    private void refuseUnknownMembers(String importId) {
        String sql = "select s.line_no, s.group_id, s.member_id, g.kind from import_line s"
                + " left join directory_group g on g.tenant_id = s.tenant_id and g.group_id = s.group_id"
                + " where s.import_id = ? and s.kind = 'MEMBERSHIP' and (g.group_id is null"
                + " or (g.kind = 'USER' and not exists (select 1 from directory_user u"
                + " where u.tenant_id = s.tenant_id and u.user_id = s.member_id))"
                + " or (g.kind = 'DEVICE' and not exists (select 1 from managed_device d"
                + " where d.tenant_id = s.tenant_id and d.device_id = s.member_id and d.status = 'ACTIVE')))"
                + " order by s.line_no limit 1";
        jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, importId);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long line = rs.getLong(1);
                    String kind = rs.getString(4);
                    if (kind == null) {
                        throw ImportRejected.unprocessable(
                                line,
                                "groupId",
                                "no group '" + rs.getString(2) + "' in this tenant or on a group line of this import");
                    }
                    throw ImportRejected.unprocessable(
                            line,
                            "memberId",
                            kind.equals("USER")
                                    ? "no user '" + rs.getString(3) + "' in this tenant's directory or this import"
                                    : "no active enrolled device '" + rs.getString(3) + "' in this tenant");
                }
            }
        });
    }

    private void applyMemberships(String importId, String tenantId, Tally tally) {
        String sql = "select s.line_no, s.group_id, s.member_id, g.kind from import_line s"
                + " join directory_group g on g.tenant_id = s.tenant_id and g.group_id = s.group_id"
                + " where s.import_id = ? and s.kind = 'MEMBERSHIP' and s.line_no > ? order by s.line_no limit ?";
        long after = 0;
        List<MembershipRow> chunk;
        while (!(chunk = chunk(
                        sql,
                        importId,
                        after,
                        rs -> new MembershipRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))))
                .isEmpty()) {
            for (MembershipRow row : chunk) {
                if (memberships.addIfAbsent(tenantId, row.groupId(), GroupType.valueOf(row.kind()), row.memberId())) {
                    tally.membershipsAdded++;
                } else {
                    tally.membershipsUnchanged++;
                }
            }
            after = chunk.get(chunk.size() - 1).line();
        }
    }

    /** Reads one row of a result set. */
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> chunk(String sql, String importId, long afterLine, RowReader<T> reader) {
        return jdbc(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, importId);
                query.setLong(2, afterLine);
                query.setInt(3, CHUNK);
                try (ResultSet rs = query.executeQuery()) {
                    List<T> rows = new ArrayList<>(CHUNK);
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                    return rows;
                }
            }
        });
    }

    private int update(String sql, Object... values) {
        return jdbc(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                return statement.executeUpdate();
            }
        });
    }

    private <T> T jdbc(ReturningWork<T> work) {
        return entityManager.unwrap(Session.class).doReturningWork(work);
    }
}
