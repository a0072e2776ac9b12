package dev.bulwark.registry.imports;

/**
 * What one import changed. Importing the same feed again gives zero everywhere but {@code unchanged} and
 * {@code events}: the directory already holds it, and nothing is published.
 *
 * @param lines the non-blank lines read
 * @param users a user is {@code updated} when its profile or licence changed
 * @param licencesChanged one UserLicenseChanged each (a new licensed user counts too)
 * @param memberships one GroupMembershipChanged(ADDED) per member added
 * @param events events written to the outbox with the import, published to Kafka after it commits
 */
public record ImportSummary(
        String importId,
        long lines,
        Users users,
        long licencesChanged,
        Groups groups,
        Memberships memberships,
        long events) {

    /** Users created, updated (profile or licence) and left as they were. */
    public record Users(long created, long updated, long unchanged) {}

    /** Groups created, renamed and left as they were. */
    public record Groups(long created, long updated, long unchanged) {}

    /** Members added, and membership lines that were members already. */
    public record Memberships(long added, long unchanged) {}
}
