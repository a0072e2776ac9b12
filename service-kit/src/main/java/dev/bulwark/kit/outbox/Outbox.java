package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes an outgoing event into the {@code outbox_event} table inside the caller's transaction, so that the state
 * change and the event commit or roll back together. {@link OutboxRelay} publishes the rows to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager entityManager;
    private final ObjectMapper json;
    private final String serviceName;

    Outbox(
            EntityManager entityManager,
            ObjectMapper json,
            @ConfigProperty(name = "bulwark.service-name") String serviceName) {
        this.entityManager = entityManager;
        this.json = json;
        this.serviceName = serviceName;
    }

    /**
     * Appends {@code event} for {@code topic}, keyed by {@code key}. Must run inside a transaction: an event written
     * outside one could be published for a state change that never committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, SpecificRecord event) {
        if (topic == null || topic.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an outbox event needs a topic and a key");
        }
        Map<String, String> headers = CloudEventHeaders.of(event, serviceName, key);
        String headerJson;
        try {
            headerJson = json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise CloudEvents headers", e);
        }
        entityManager
                .createNativeQuery("insert into outbox_event (event_id, topic, event_key, event_type, payload, headers)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, Envelope.eventId(event))
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, event.getSchema().getName())
                .setParameter(5, EventCodec.encode(event))
                .setParameter(6, headerJson)
                .executeUpdate();
    }
}
