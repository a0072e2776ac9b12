package dev.bulwark.compliance.timeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds a timeline entry's detail object in a stable field order, leaving out what is absent. */
public final class Detail {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Detail() {}

    public static Detail of() {
        return new Detail();
    }

    public Detail with(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Detail with(String name, Optional<?> value) {
        value.ifPresent(present -> fields.put(name, present));
        return this;
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }
}
