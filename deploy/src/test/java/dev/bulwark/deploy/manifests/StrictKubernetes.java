package dev.bulwark.deploy.manifests;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a rendered object the way the API server would refuse it: built-in kinds through the generated models of
 * {@code io.kubernetes:client-java-api} (unknown fields, missing required fields and wrong types throw), the two
 * custom resources (Strimzi's KafkaTopic, the Prometheus operator's ServiceMonitor) by a check of the fields their
 * CRDs define. A kind nobody checks is refused, so a new kind cannot slip through unchecked.
 */
final class StrictKubernetes {

    /** How to parse one kind, and the apiVersion it must have. */
    private record Kind(String apiVersion, Parser parser) {}

    @FunctionalInterface
    private interface Parser {
        Object parse(String json) throws IOException;
    }

    private static final Map<String, Kind> BUILT_IN = Map.of(
            "Namespace", new Kind("v1", V1Namespace::fromJson),
            "ServiceAccount", new Kind("v1", V1ServiceAccount::fromJson),
            "ConfigMap", new Kind("v1", V1ConfigMap::fromJson),
            "Service", new Kind("v1", V1Service::fromJson),
            "Deployment", new Kind("apps/v1", V1Deployment::fromJson),
            "PodDisruptionBudget", new Kind("policy/v1", V1PodDisruptionBudget::fromJson),
            "HorizontalPodAutoscaler", new Kind("autoscaling/v2", V2HorizontalPodAutoscaler::fromJson),
            "NetworkPolicy", new Kind("networking.k8s.io/v1", V1NetworkPolicy::fromJson),
            "Ingress", new Kind("networking.k8s.io/v1", V1Ingress::fromJson));

    static final String KAFKA_TOPIC_API = "kafka.strimzi.io/v1beta2";
    static final String SERVICE_MONITOR_API = "monitoring.coreos.com/v1";

    private StrictKubernetes() {}

    /**
     * The typed model of a built-in object, or the map itself for a checked custom resource.
     *
     * @throws IllegalArgumentException if the object does not parse strictly, or its kind is not known here
     */
    static Object parse(Map<String, Object> object) {
        String kind = String.valueOf(object.get("kind"));
        String apiVersion = String.valueOf(object.get("apiVersion"));
        Kind builtIn = BUILT_IN.get(kind);
        if (builtIn != null) {
            requireApiVersion(kind, apiVersion, builtIn.apiVersion());
            try {
                return builtIn.parser().parse(YamlDocuments.json(object));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        switch (kind) {
            case "KafkaTopic" -> {
                requireApiVersion(kind, apiVersion, KAFKA_TOPIC_API);
                checkKafkaTopic(object);
            }
            case "ServiceMonitor" -> {
                requireApiVersion(kind, apiVersion, SERVICE_MONITOR_API);
                checkServiceMonitor(object);
            }
            default -> throw new IllegalArgumentException("no strict check for kind " + kind + " (" + apiVersion + ")");
        }
        return object;
    }

    private static void requireApiVersion(String kind, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException(kind + " must be " + expected + ", was " + actual);
        }
    }

    private static void checkKafkaTopic(Map<String, Object> topic) {
        onlyKeys("KafkaTopic", topic, Set.of("apiVersion", "kind", "metadata", "spec"));
        checkMetadata("KafkaTopic", topic);
        Map<String, Object> spec = YamlDocuments.map(topic, "spec");
        onlyKeys("KafkaTopic.spec", spec, Set.of("topicName", "partitions", "replicas", "config"));
        positiveInt("KafkaTopic.spec.partitions", spec.get("partitions"), Integer.MAX_VALUE);
        positiveInt("KafkaTopic.spec.replicas", spec.get("replicas"), Short.MAX_VALUE);
        if (!(spec.get("topicName") instanceof String)) {
            throw new IllegalArgumentException("KafkaTopic.spec.topicName must be a string: " + spec);
        }
        YamlDocuments.map(spec, "config");
        if (!YamlDocuments.map(YamlDocuments.map(topic, "metadata"), "labels").containsKey("strimzi.io/cluster")) {
            throw new IllegalArgumentException("KafkaTopic needs the label strimzi.io/cluster: " + topic);
        }
    }

    private static void checkServiceMonitor(Map<String, Object> monitor) {
        onlyKeys("ServiceMonitor", monitor, Set.of("apiVersion", "kind", "metadata", "spec"));
        checkMetadata("ServiceMonitor", monitor);
        Map<String, Object> spec = YamlDocuments.map(monitor, "spec");
        onlyKeys("ServiceMonitor.spec", spec, Set.of("selector", "endpoints", "namespaceSelector", "jobLabel"));
        onlyKeys("ServiceMonitor.spec.selector", YamlDocuments.map(spec, "selector"), Set.of("matchLabels"));
        List<Object> endpoints = YamlDocuments.list(spec, "endpoints");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("ServiceMonitor needs at least one endpoint: " + monitor);
        }
        for (Object endpoint : endpoints) {
            if (!(endpoint instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("ServiceMonitor endpoint is not a mapping: " + endpoint);
            }
            for (Object key : fields.keySet()) {
                if (!Set.of("port", "path", "interval", "scrapeTimeout", "scheme")
                        .contains(key)) {
                    throw new IllegalArgumentException("ServiceMonitor endpoint has unknown field " + key);
                }
            }
        }
    }

    private static void checkMetadata(String kind, Map<String, Object> object) {
        Map<String, Object> metadata = YamlDocuments.map(object, "metadata");
        onlyKeys(kind + ".metadata", metadata, Set.of("name", "namespace", "labels", "annotations"));
        if (!(metadata.get("name") instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException(kind + " needs metadata.name: " + object);
        }
    }

    private static void onlyKeys(String where, Map<String, Object> fields, Set<String> allowed) {
        for (String key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + " has unknown field '" + key + "'; allowed: " + allowed);
            }
        }
    }

    private static void positiveInt(String where, Object value, int max) {
        if (!(value instanceof Integer number) || number < 1 || number > max) {
            throw new IllegalArgumentException(where + " must be an integer from 1 to " + max + ", was " + value);
        }
    }
}
