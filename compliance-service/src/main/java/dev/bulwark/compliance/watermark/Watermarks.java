package dev.bulwark.compliance.watermark;

import dev.bulwark.compliance.support.Columns;
import dev.bulwark.contract.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The event-time watermarks in PostgreSQL ({@code event_time_watermark}, one row per topic and partition), shared by
 * every replica: each replica moves forward what it knows of the partitions, and the deadline and offline jobs of any
 * replica read how far they may fire ({@link EventTimeWatermark#horizon}).
 */
@ApplicationScoped
public class Watermarks {

    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration allowedLateness;

    Watermarks(
            EntityManager entityManager,
            Clock clock,
            @ConfigProperty(name = "bulwark.compliance.watermark.allowed-lateness", defaultValue = "PT10S")
                    Duration allowedLateness) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.allowedLateness = allowedLateness;
    }

    /**
     * The latest due time of a deadline (or offline period) that may fire now: everything reported on
     * {@code bulwark.devices.v1} up to it has been processed. Empty while a partition of the topic is unknown.
     */
    @Transactional
    public Optional<Instant> devicesHorizon() {
        return EventTimeWatermark.horizon(marks(Topics.DEVICES), allowedLateness, clock.instant());
    }

    /** What is stored of each partition of {@code topic}. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<PartitionMark> marks(String topic) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select partition_no, max_event_time, caught_up_at from event_time_watermark"
                        + " where topic = ?1 order by partition_no")
                .setParameter(1, topic)
                .getResultList();
        return rows.stream()
                .map(row -> new PartitionMark(
                        ((Number) row[0]).intValue(),
                        Optional.ofNullable(row[1]).map(Columns::instant),
                        Optional.ofNullable(row[2]).map(Columns::instant)))
                .toList();
    }

    /**
     * Moves the partitions' marks forward with one statement: a partition not stored yet is added (unseen ones too, so
     * they hold the watermark back), a stored one only ever moves forward.
     */
    @Transactional
    public void advance(String topic, List<PartitionMark> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Integer[] numbers = partitions.stream().map(PartitionMark::partition).toArray(Integer[]::new);
        // instants as ISO-8601 text (UTC), cast by PostgreSQL: no time zone of this JVM comes in between
        String[] newest = partitions.stream()
                .map(p -> p.newestEventTime().map(Instant::toString).orElse(null))
                .toArray(String[]::new);
        String[] caughtUp = partitions.stream()
                .map(p -> p.caughtUpAt().map(Instant::toString).orElse(null))
                .toArray(String[]::new);
        Timestamp now = Timestamp.from(clock.instant());
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into event_time_watermark (topic, partition_no, max_event_time, caught_up_at, updated_at)"
                            + " select ?, p, e::timestamptz, c::timestamptz, ? from unnest(?, ?, ?) as marks(p, e, c)"
                            + " on conflict (topic, partition_no) do update set"
                            + " max_event_time = greatest(event_time_watermark.max_event_time, excluded.max_event_time),"
                            + " caught_up_at = greatest(event_time_watermark.caught_up_at, excluded.caught_up_at),"
                            + " updated_at = excluded.updated_at")) {
                statement.setString(1, topic);
                statement.setTimestamp(2, now);
                statement.setArray(3, connection.createArrayOf("integer", numbers));
                statement.setArray(4, connection.createArrayOf("text", newest));
                statement.setArray(5, connection.createArrayOf("text", caughtUp));
                statement.executeUpdate();
            }
        });
    }
}
