package dev.bulwark.compliance.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.compliance.rules.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads and writes the service's jsonb columns (violations, timeline details) with the application's ObjectMapper.
 * Entities keep them as text so that Hibernate's own JSON mapping, and its coupling to Jackson, stays out of the way.
 */
@ApplicationScoped
public class JsonColumns {

    private static final TypeReference<List<Violation>> VIOLATIONS = new TypeReference<>() {};

    private final ObjectMapper mapper;

    JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a json column", e);
        }
    }

    public List<Violation> violations(String json) {
        try {
            return List.copyOf(mapper.readValue(json, VIOLATIONS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored violations are not readable", e);
        }
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    public List<String> strings(String json) {
        try {
            return List.copyOf(mapper.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored json is not a list of strings", e);
        }
    }

    /** Reads a json array of objects into records of {@code type}. */
    public <T> List<T> list(String json, Class<T> type) {
        try {
            return List.copyOf(
                    mapper.readValue(json, mapper.getTypeFactory().constructCollectionType(List.class, type)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored json is not a list of " + type.getSimpleName(), e);
        }
    }

    public JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored json is not readable", e);
        }
    }
}
