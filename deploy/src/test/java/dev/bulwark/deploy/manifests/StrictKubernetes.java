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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a rendered object the way the API server would refuse it: built-in kinds through the generated models of
 * {@code io.kubernetes:client-java-api} (unknown fields, missing required fields and wrong types throw), the three
 * custom resources (Strimzi's KafkaTopic, the Prometheus operator's ServiceMonitor and PrometheusRule) by a check of
 * the fields their CRDs define. A kind nobody checks is refused, so a new kind cannot slip through unchecked.
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
    static final String PROMETHEUS_RULE_API = "monitoring.coreos.com/v1";

    /** A Prometheus duration as the PrometheusRule CRD's pattern allows it (e.g. {@code 10m}, {@code 1h30m}). */
    private static final Pattern DURATION =
            Pattern.compile("0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?");

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
            case "PrometheusRule" -> {
                requireApiVersion(kind, apiVersion, PROMETHEUS_RULE_API);
                checkPrometheusRule(object);
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

    /** The fields of the PrometheusRule CRD (monitoring.coreos.com/v1): spec.groups[].rules[], alerts or records. */
    private static void checkPrometheusRule(Map<String, Object> rule) {
        onlyKeys("PrometheusRule", rule, Set.of("apiVersion", "kind", "metadata", "spec"));
        checkMetadata("PrometheusRule", rule);
        Map<String, Object> spec = YamlDocuments.map(rule, "spec");
        onlyKeys("PrometheusRule.spec", spec, Set.of("groups"));
        List<Object> groups = YamlDocuments.list(spec, "groups");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("PrometheusRule needs at least one group: " + rule);
        }
        Set<String> groupNames = new HashSet<>();
        for (Object groupObject : groups) {
            Map<String, Object> group = mapping("PrometheusRule group", groupObject);
            onlyKeys(
                    "PrometheusRule group",
                    group,
                    Set.of(
                            "name",
                            "interval",
                            "query_offset",
                            "limit",
                            "partial_response_strategy",
                            "labels",
                            "rules"));
            String name = nonBlank("PrometheusRule group name", group.get("name"));
            if (!groupNames.add(name)) {
                throw new IllegalArgumentException("PrometheusRule has two groups named " + name);
            }
            if (group.containsKey("interval")) {
                duration("PrometheusRule group " + name + " interval", group.get("interval"));
            }
            for (Object ruleObject : YamlDocuments.list(group, "rules")) {
                checkRule(name, mapping("PrometheusRule rule in group " + name, ruleObject));
            }
        }
    }

    private static void checkRule(String group, Map<String, Object> rule) {
        String where =
                "PrometheusRule rule " + rule.getOrDefault("alert", rule.get("record")) + " (group " + group + ")";
        onlyKeys(where, rule, Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"));
        if (rule.containsKey("alert") == rule.containsKey("record")) {
            throw new IllegalArgumentException(where + " must have exactly one of alert and record");
        }
        nonBlank(where + " alert or record", rule.getOrDefault("alert", rule.get("record")));
        nonBlank(where + " expr", rule.get("expr"));
        for (String key : List.of("for", "keep_firing_for")) {
            if (rule.containsKey(key)) {
                duration(where + " " + key, rule.get(key));
            }
        }
        for (String key : List.of("labels", "annotations")) {
            YamlDocuments.map(rule, key).forEach((name, value) -> {
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException(where + " " + key + "." + name + " must be a string: " + value);
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(String where, Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    private static String nonBlank(String where, Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException(where + " must be a non-empty string, was " + value);
        }
        return text;
    }

    private static void duration(String where, Object value) {
        if (!(value instanceof String text)
                || text.isEmpty()
                || !DURATION.matcher(text).matches()) {
            throw new IllegalArgumentException(where + " must be a duration such as 5m, was " + value);
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
