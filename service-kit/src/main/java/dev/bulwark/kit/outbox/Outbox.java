package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes an outgoing event into the {@code outbox_event} table inside the caller's transaction, so that the state
 * change and the event commit or roll back together. {@link OutboxRelay} publishes the rows to Kafka afterwards. An
 * event Kafka could never take (over {@code bulwark.outbox.max-event-bytes}) is refused here with a 413 problem, so the
 * caller's transaction rolls back and nothing of the request is written.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager entityManager;
    private final ObjectMapper json;
    private final String serviceName;
    private final int maxEventBytes;

    Outbox(
            EntityManager entityManager,
            ObjectMapper json,
            @ConfigProperty(name = "bulwark.service-name") String serviceName,
            @ConfigProperty(name = "bulwark.outbox.max-event-bytes", defaultValue = "" + EventSize.DEFAULT_LIMIT)
                    int maxEventBytes) {
        this.entityManager = entityManager;
        this.json = json;
        this.serviceName = serviceName;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Appends {@code event} for {@code topic}, keyed by {@code key}. Must run inside a transaction: an event written
     * outside one could be published for a state change that never committed.
     *
     * @throws ProblemException 413 when the event would be larger than Kafka takes; the caller's transaction then rolls
     *     back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, SpecificRecord event) {
        if (topic == null || topic.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an outbox event needs a topic and a key");
        }
        Map<String, String> headers = CloudEventHeaders.of(event, serviceName, key);
        byte[] payload = EventCodec.encode(event);
        EventSize size = EventSize.of(key, payload, headers);
        if (size.exceeds(maxEventBytes)) {
            throw new ProblemException(
                    413,
                    "Content too large",
                    "This change would publish a " + event.getSchema().getName() + " event of " + size.bytes()
                            + " bytes; events are limited to " + maxEventBytes
                            + " bytes. Make the request smaller (fewer or shorter items).");
        }
        String headerJson;
        try {
            headerJson = json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise CloudEvents headers", e);
        }
        entityManager
                .createNativeQuery(
                        "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, Envelope.eventId(event))
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, event.getSchema().getName())
                .setParameter(5, payload)
                .setParameter(6, headerJson)
                .setParameter(7, Envelope.tenantId(event))
                .executeUpdate();
    }
}
