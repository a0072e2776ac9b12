package dev.bulwark.deploy.manifests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads YAML (one or many documents) into plain maps, and writes a map as JSON for the Kubernetes model parsers. */
final class YamlDocuments {

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private YamlDocuments() {}

    /** Every non-empty document of a multi-document YAML text, in order. */
    static List<Map<String, Object>> all(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = YAML.readerFor(MAP).readValues(yaml)) {
            while (it.hasNextValue()) {
                Map<String, Object> document = it.nextValue();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML", e);
        }
        return documents;
    }

    /** The single document of a YAML file. */
    static Map<String, Object> file(Path path) {
        try {
            return YAML.readValue(Files.readString(path), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    static String json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + document, e);
        }
    }

    /** The map under a key, or an empty map; fails if the value there is not a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(key + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** The list under a key, or an empty list; fails if the value there is not a list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(key + " is not a list: " + value);
        }
        return (List<Object>) value;
    }
}
