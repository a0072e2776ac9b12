package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each kustomize overlay offline and checks what a cluster would run: every object parses strictly, every
 * service is probed on the port it listens on, nothing runs as root, every topic exists with enough partitions for the
 * largest service, images are the ones the build makes, the network, scaling and monitoring objects point at the
 * right pods, the sign-out bridge reaches only Kafka, DNS and its identity provider, with its own secret, and every
 * Grafana dashboard is a ConfigMap for Grafana's sidecar carrying its JSON file unchanged.
 */
class KubernetesManifestsTest {

    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedObjectParsesStrictlyAndNoSecretValueIsCommitted(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        assertThat(rendered.objects())
                .extracting(RenderedOverlay.RenderedObject::kind)
                .contains(
                        "Namespace",
                        "ConfigMap",
                        "ServiceAccount",
                        "Deployment",
                        "Service",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy",
                        "ServiceMonitor",
                        "Ingress",
                        "KafkaTopic",
                        "PrometheusRule")
                .doesNotContain("Secret");
        String namespace = overlay.equals("prod") ? "bulwark" : "bulwark-dev";
        rendered.objects().stream().filter(o -> !o.kind().equals("Namespace")).forEach(o -> assertThat(
                        YamlDocuments.map(o.raw(), "metadata").get("namespace"))
                .as("namespace of %s/%s", o.kind(), o.name())
                .isEqualTo(namespace));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsProbedOnTheHealthEndpointsOfThePortItListensOn(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        for (BulwarkService service : BulwarkService.values()) {
            V1Container container = onlyContainer(rendered, service);
            int declared = declaredPort(container, "http");
            assertThat(declared).as("%s containerPort", service.moduleName()).isEqualTo(service.defaultPort());
            Map<String, String> env = environment(rendered, container);
            assertThat(env.get("QUARKUS_HTTP_PORT"))
                    .as("%s must listen on its declared port", service.moduleName())
                    .isEqualTo(Integer.toString(declared));

            assertProbe(service, "readiness", container.getReadinessProbe(), "/q/health/ready", container, declared);
            assertProbe(service, "liveness", container.getLivenessProbe(), "/q/health/live", container, declared);
            assertProbe(service, "startup", container.getStartupProbe(), "/q/health/started", container, declared);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noContainerCanRunAsRootOrWriteOutsideTmp(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        List<V1Deployment> deployments = rendered.all(V1Deployment.class);
        assertThat(deployments).hasSize(BulwarkService.values().length);
        for (V1Deployment deployment : deployments) {
            V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            V1PodSecurityContext podContext =
                    Optional.ofNullable(pod.getSecurityContext()).orElseGet(V1PodSecurityContext::new);
            List<V1Container> containers = new ArrayList<>(pod.getContainers());
            Optional.ofNullable(pod.getInitContainers()).ifPresent(containers::addAll);
            for (V1Container container : containers) {
                String where = deployment.getMetadata().getName() + "/" + container.getName();
                V1SecurityContext context =
                        Optional.ofNullable(container.getSecurityContext()).orElseGet(V1SecurityContext::new);
                Boolean nonRoot = Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot());
                Long user = Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser());
                assertThat(nonRoot).as("%s runAsNonRoot", where).isTrue();
                assertThat(user).as("%s runAsUser", where).isNotNull().isNotZero();
                assertThat(context.getAllowPrivilegeEscalation())
                        .as("%s allowPrivilegeEscalation", where)
                        .isFalse();
                assertThat(context.getReadOnlyRootFilesystem())
                        .as("%s readOnlyRootFilesystem", where)
                        .isTrue();
                assertThat(context.getPrivileged()).as("%s privileged", where).isNotEqualTo(Boolean.TRUE);
                assertThat(context.getCapabilities().getDrop())
                        .as("%s drops capabilities", where)
                        .contains("ALL");
                assertThat(context.getCapabilities().getAdd())
                        .as("%s adds capabilities", where)
                        .isNullOrEmpty();

                V1VolumeMount tmp = container.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/tmp"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(where + " has no /tmp volume"));
                assertThat(volume(pod, tmp.getName()).getEmptyDir())
                        .as("%s /tmp is an emptyDir", where)
                        .isNotNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicExistsWithTheCataloguePartitionsAndNoFewerThanTheLargestServiceHasReplicas(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Map<String, Map<String, Object>> topics = new HashMap<>();
        for (Map<String, Object> topic : rendered.raw("KafkaTopic")) {
            Map<String, Object> spec = YamlDocuments.map(topic, "spec");
            assertThat(topics.put((String) spec.get("topicName"), spec))
                    .as("topic %s declared twice", spec.get("topicName"))
                    .isNull();
            assertThat(YamlDocuments.map(YamlDocuments.map(topic, "metadata"), "labels"))
                    .containsEntry("strimzi.io/cluster", TopicManifests.KAFKA_CLUSTER);
        }
        int mostReplicas = rendered.all(V2HorizontalPodAutoscaler.class).stream()
                .mapToInt(hpa -> hpa.getSpec().getMaxReplicas())
                .max()
                .orElseThrow();

        List<String> expected = new ArrayList<>();
        for (TopicSpec topic : TopicManifests.topics()) {
            expected.add(topic.name());
            Map<String, Object> spec = topics.get(topic.name());
            assertThat(spec).as("KafkaTopic for %s", topic.name()).isNotNull();
            assertThat(spec.get("partitions"))
                    .as("%s partitions (the catalogue's, as compose and the local stack create it)", topic.name())
                    .isEqualTo(topic.partitions());
            int replicas = (Integer) spec.get("replicas");
            int inSync = ((Number) YamlDocuments.map(spec, "config").get("min.insync.replicas")).intValue();
            assertThat(inSync)
                    .as("%s min.insync.replicas must leave one broker free to fail", topic.name())
                    .isEqualTo(replicas == 1 ? 1 : replicas - 1);
        }
        for (TopicSpec topic : Topics.catalogue()) {
            // Consumer groups spread a topic's partitions over the replicas; a replica beyond the count sits idle.
            assertThat(topic.partitions())
                    .as("partitions of %s against the largest HPA maxReplicas (%d)", topic.name(), mostReplicas)
                    .isGreaterThanOrEqualTo(mostReplicas);
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyImageIsOneTheBuildScriptMakes(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        List<String> images = rendered.all(V1Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .map(V1Container::getImage)
                .toList();
        assertThat(images).containsExactlyInAnyOrderElementsOf(BuildScriptImages.defined());
        for (BulwarkService service : BulwarkService.values()) {
            assertThat(onlyContainer(rendered, service).getImage())
                    .isEqualTo("bulwark/" + service.moduleName() + ":" + BuildScriptImages.projectVersion());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void
            eachServiceTakesTrafficOnlyOnItsPortAndReachesOnlyKafkaPostgresDnsTheDeviceCredentialKeysAndTheIdentityProvider(
                    String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        for (BulwarkService service : BulwarkService.services()) {
            String name = service.moduleName();
            Map<String, String> podLabels = podLabels(rendered, service);

            V1Service kubeService = rendered.one(V1Service.class, "Service", name);
            assertThat(podLabels).containsAllEntriesOf(kubeService.getSpec().getSelector());
            V1ServicePort port = kubeService.getSpec().getPorts().get(0);
            assertThat(kubeService.getSpec().getPorts()).hasSize(1);
            assertThat(port.getPort()).isEqualTo(service.defaultPort());
            assertThat(resolve(port.getTargetPort(), onlyContainer(rendered, service)))
                    .isEqualTo(service.defaultPort());

            V1NetworkPolicy policy = rendered.one(V1NetworkPolicy.class, "NetworkPolicy", name);
            assertThat(podLabels)
                    .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(policy.getSpec().getIngress()).isNotEmpty().allSatisfy(rule -> assertThat(rule.getPorts())
                    .as("%s ingress ports", name)
                    .extracting(KubernetesManifestsTest::portName)
                    .containsExactly("TCP/" + service.defaultPort()));
            Set<String> egress = new HashSet<>();
            policy.getSpec().getEgress().forEach(rule -> {
                assertThat(rule.getPorts())
                        .as("%s egress rule without ports", name)
                        .isNotEmpty();
                rule.getPorts().stream().map(KubernetesManifestsTest::portName).forEach(egress::add);
                if (rule.getPorts().stream()
                        .map(KubernetesManifestsTest::portName)
                        .anyMatch("TCP/8081"::equals)) {
                    // device-registry's JWKS (device credentials), and no other pod on that port
                    assertThat(rule.getTo())
                            .as("%s egress to device-registry", name)
                            .singleElement()
                            .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                                    .containsExactly(Map.entry("app.kubernetes.io/name", "device-registry")));
                }
                if (rule.getPorts().stream()
                        .map(KubernetesManifestsTest::portName)
                        .anyMatch("TCP/443"::equals)) {
                    // the identity provider's discovery and keys: addresses only, never a pod of the cluster
                    assertThat(rule.getPorts()).as("%s HTTPS rule ports", name).hasSize(1);
                    assertThat(rule.getTo())
                            .as("%s egress over HTTPS", name)
                            .isNotEmpty()
                            .allSatisfy(peer -> {
                                assertThat(peer.getIpBlock()).isNotNull();
                                assertThat(peer.getPodSelector()).isNull();
                                assertThat(peer.getNamespaceSelector()).isNull();
                            });
                }
            });
            assertThat(egress)
                    .as("%s egress", name)
                    .containsExactlyInAnyOrder("TCP/9092", "TCP/5432", "UDP/53", "TCP/53", "TCP/8081", "TCP/443");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressSendsEverythingToTheGatewayWhichReachesOnlyTheFourServicesAndDns(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        BulwarkService gateway = BulwarkService.GATEWAY;

        V1Ingress ingress = rendered.one(V1Ingress.class, "Ingress", "bulwark");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(
                        rule.getHttp().getPaths())
                .singleElement()
                .satisfies(path -> {
                    assertThat(path.getPath()).isEqualTo("/");
                    assertThat(path.getPathType()).isEqualTo("Prefix");
                    assertThat(path.getBackend().getService().getName()).isEqualTo(gateway.moduleName());
                }));
        V1Service kubeService = rendered.one(V1Service.class, "Service", gateway.moduleName());
        assertThat(podLabels(rendered, gateway))
                .containsAllEntriesOf(kubeService.getSpec().getSelector());
        assertThat(kubeService.getSpec().getPorts()).singleElement().satisfies(port -> assertThat(port.getPort())
                .isEqualTo(gateway.defaultPort()));

        Map<String, String> env = environment(rendered, onlyContainer(rendered, gateway));
        for (BulwarkService service : BulwarkService.services()) {
            V1Service upstream = rendered.one(V1Service.class, "Service", service.moduleName());
            assertThat(env.get("BULWARK_GATEWAY_UPSTREAM_" + service.name()))
                    .as("the gateway's address of %s", service.moduleName())
                    .isEqualTo("http://" + upstream.getMetadata().getName() + ":"
                            + upstream.getSpec().getPorts().get(0).getPort());
        }
        assertThat(env)
                .as("the gateway reads no database, Kafka or key settings")
                .doesNotContainKeys("QUARKUS_DATASOURCE_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS");

        V1NetworkPolicy policy = rendered.one(V1NetworkPolicy.class, "NetworkPolicy", gateway.moduleName());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                .extracting(KubernetesManifestsTest::portName)
                .containsExactly("TCP/" + gateway.defaultPort()));
        Set<String> egress = new HashSet<>();
        policy.getSpec().getEgress().forEach(rule -> {
            assertThat(rule.getPorts()).as("gateway egress rule without ports").isNotEmpty();
            assertThat(rule.getTo())
                    .as("gateway egress rule without a destination")
                    .isNotEmpty();
            rule.getPorts().stream().map(KubernetesManifestsTest::portName).forEach(egress::add);
        });
        Set<String> expected = new HashSet<>(Set.of("UDP/53", "TCP/53"));
        BulwarkService.services().forEach(service -> expected.add("TCP/" + service.defaultPort()));
        assertThat(egress).as("gateway egress").isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theSignOutBridgeTakesTrafficOnlyOnItsPortAndReachesOnlyKafkaDnsAndHttpsOutsideTheCluster(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        BulwarkService bridge = BulwarkService.SIGNOUT_BRIDGE;
        String name = bridge.moduleName();
        Map<String, String> podLabels = podLabels(rendered, bridge);

        V1Service kubeService = rendered.one(V1Service.class, "Service", name);
        assertThat(podLabels).containsAllEntriesOf(kubeService.getSpec().getSelector());
        assertThat(kubeService.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(bridge.defaultPort());
            assertThat(resolve(port.getTargetPort(), onlyContainer(rendered, bridge)))
                    .isEqualTo(bridge.defaultPort());
        });
        assertThat(kubeService.getSpec().getPublishNotReadyAddresses())
                .as("a replica waiting on the identity provider (not ready) is still scraped")
                .isTrue();
        assertThat(rendered.one(V1PodDisruptionBudget.class, "PodDisruptionBudget", name)
                        .getSpec()
                        .getUnhealthyPodEvictionPolicy())
                .as("a replica waiting on the identity provider does not hold up a node drain")
                .isEqualTo("AlwaysAllow");

        V1NetworkPolicy policy = rendered.one(V1NetworkPolicy.class, "NetworkPolicy", name);
        assertThat(podLabels)
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                .extracting(KubernetesManifestsTest::portName)
                .containsExactly("TCP/" + bridge.defaultPort()));
        Set<String> egress = new HashSet<>();
        for (V1NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            List<String> ports = Optional.ofNullable(rule.getPorts()).orElse(List.of()).stream()
                    .map(KubernetesManifestsTest::portName)
                    .toList();
            assertThat(ports).as("bridge egress rule without ports").isNotEmpty();
            assertThat(rule.getTo())
                    .as("bridge egress rule without a destination")
                    .isNotEmpty();
            egress.addAll(ports);
            if (ports.contains("TCP/443")) {
                // the identity provider: addresses outside the cluster, which an overlay narrows to the provider's
                assertThat(ports).containsExactly("TCP/443");
                assertThat(rule.getTo()).allSatisfy(peer -> {
                    assertThat(peer.getIpBlock())
                            .as("HTTPS goes to addresses only")
                            .isNotNull();
                    assertThat(peer.getPodSelector()).isNull();
                    assertThat(peer.getNamespaceSelector()).isNull();
                });
            } else if (ports.contains("TCP/9092")) {
                assertThat(ports).containsExactly("TCP/9092");
                assertThat(rule.getTo())
                        .allSatisfy(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                                .containsEntry("strimzi.io/cluster", TopicManifests.KAFKA_CLUSTER)
                                .containsEntry("strimzi.io/kind", "Kafka"));
            } else {
                assertThat(ports).containsExactlyInAnyOrder("UDP/53", "TCP/53");
                assertThat(rule.getTo())
                        .allSatisfy(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                                .containsExactly(Map.entry("k8s-app", "kube-dns")));
            }
        }
        assertThat(egress).as("bridge egress").containsExactlyInAnyOrder("TCP/9092", "UDP/53", "TCP/53", "TCP/443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theSignOutBridgeTakesKafkaFromTheCommonSettingsItsClientSecretFromItsSecretAndHasNoDatabase(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        BulwarkService bridge = BulwarkService.SIGNOUT_BRIDGE;
        V1Container container = onlyContainer(rendered, bridge);
        Map<String, String> env = environment(rendered, container);

        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS"))
                .as("the bridge reaches the brokers the services reach")
                .isEqualTo(rendered.one(V1ConfigMap.class, "ConfigMap", "bulwark-common")
                        .getData()
                        .get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(env.get("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL")).startsWith("https://");
        assertThat(env)
                .containsKeys("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM", "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID");

        String secretVariable = "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET";
        V1EnvVar secret = container.getEnv().stream()
                .filter(v -> v.getName().equals(secretVariable))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the bridge has no " + secretVariable));
        assertThat(secret.getValue())
                .as("%s must not be a literal", secretVariable)
                .isNull();
        assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("bulwark-signout-bridge");
        assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("client-secret");
        assertThat(secret.getValueFrom().getSecretKeyRef().getOptional())
                .as("without its secret the bridge must not start")
                .isNotEqualTo(Boolean.TRUE);
        assertThat(rendered.all(V1ConfigMap.class))
                .as("the client secret is in no ConfigMap")
                .allSatisfy(configMap -> assertThat(configMap.getData()).doesNotContainKey(secretVariable));

        assertThat(env.keySet())
                .as("the bridge has no database")
                .noneMatch(key -> key.startsWith("QUARKUS_DATASOURCE_") || key.startsWith("BULWARK_DB_"));
        assertThat(env)
                .as("the bridge verifies no token")
                .doesNotContainKeys("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "BULWARK_DEVICE_CREDENTIALS_JWKS_URI");
        V1PodSpec pod = rendered.one(V1Deployment.class, "Deployment", bridge.moduleName())
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(pod.getVolumes())
                .as("no key of Bulwark's is mounted into the bridge")
                .allSatisfy(volume ->
                        assertThat(volume.getSecret()).as(volume.getName()).isNull());
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void autoscalersDisruptionBudgetsAndMonitorsPointAtTheirService(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        for (BulwarkService service : BulwarkService.values()) {
            String name = service.moduleName();
            V1Deployment deployment = rendered.one(V1Deployment.class, "Deployment", name);
            Map<String, String> podLabels = podLabels(rendered, service);
            assertThat(podLabels)
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

            V2HorizontalPodAutoscaler hpa =
                    rendered.one(V2HorizontalPodAutoscaler.class, "HorizontalPodAutoscaler", name);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
            assertThat(hpa.getSpec().getMinReplicas())
                    .isEqualTo(deployment.getSpec().getReplicas());
            assertThat(hpa.getSpec().getMaxReplicas())
                    .isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
            assertThat(onlyContainer(rendered, service).getResources().getRequests())
                    .as("%s: CPU utilisation needs a CPU request", name)
                    .containsKeys("cpu", "memory");
            assertThat(onlyContainer(rendered, service).getResources().getLimits())
                    .containsKey("memory");

            V1PodDisruptionBudget budget = rendered.one(V1PodDisruptionBudget.class, "PodDisruptionBudget", name);
            assertThat(podLabels)
                    .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));

            Map<String, Object> monitor = rendered.raw("ServiceMonitor").stream()
                    .filter(m -> name.equals(YamlDocuments.map(m, "metadata").get("name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no ServiceMonitor for " + name));
            Map<String, Object> spec = YamlDocuments.map(monitor, "spec");
            V1Service kubeService = rendered.one(V1Service.class, "Service", name);
            assertThat(kubeService.getMetadata().getLabels())
                    .containsAllEntriesOf(
                            castStrings(YamlDocuments.map(YamlDocuments.map(spec, "selector"), "matchLabels")));
            @SuppressWarnings("unchecked")
            Map<String, Object> endpoint =
                    (Map<String, Object>) YamlDocuments.list(spec, "endpoints").get(0);
            assertThat(endpoint).containsEntry("path", "/q/metrics");
            assertThat(kubeService.getSpec().getPorts())
                    .extracting(V1ServicePort::getName)
                    .contains((String) endpoint.get("port"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void configurationComesFromConfigMapsAndSecretReferencesOnly(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        for (BulwarkService service : BulwarkService.services()) {
            String name = service.moduleName();
            V1Container container = onlyContainer(rendered, service);
            Map<String, String> env = environment(rendered, container);

            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                    .as("%s must use its own database", name)
                    .startsWith("jdbc:postgresql://")
                    .contains("/" + service.database());
            assertThat(env)
                    .containsKeys(
                            "KAFKA_BOOTSTRAP_SERVERS", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            for (String secret : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                V1EnvVar variable = container.getEnv().stream()
                        .filter(v -> v.getName().equals(secret))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(name + " has no " + secret));
                assertThat(variable.getValue())
                        .as("%s %s must not be a literal", name, secret)
                        .isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(name + "-db");
            }

            // The key file the service reads is in a volume from the bulwark-jwt secret.
            String keyLocation = env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            V1VolumeMount keyMount = container.getVolumeMounts().stream()
                    .filter(m -> keyLocation.startsWith(m.getMountPath() + "/"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": nothing mounted at " + keyLocation));
            V1Volume keyVolume = volume(
                    rendered.one(V1Deployment.class, "Deployment", name)
                            .getSpec()
                            .getTemplate()
                            .getSpec(),
                    keyMount.getName());
            assertThat(keyVolume.getSecret().getSecretName()).isEqualTo("bulwark-jwt");
            assertThat(keyVolume.getSecret().getItems())
                    .extracting(item -> keyMount.getMountPath() + "/" + item.getPath())
                    .contains(keyLocation);
        }
    }

    @Test
    void prodRunsMoreAndLargerReplicasThanDev() {
        RenderedOverlay dev = RenderedOverlay.of("dev");
        RenderedOverlay prod = RenderedOverlay.of("prod");

        for (BulwarkService service : BulwarkService.values()) {
            String name = service.moduleName();
            V1Deployment devDeployment = dev.one(V1Deployment.class, "Deployment", name);
            V1Deployment prodDeployment = prod.one(V1Deployment.class, "Deployment", name);
            assertThat(devDeployment.getSpec().getReplicas())
                    .as("%s dev replicas", name)
                    .isEqualTo(1);
            assertThat(prodDeployment.getSpec().getReplicas())
                    .as("%s prod replicas", name)
                    .isGreaterThanOrEqualTo(3);
            assertThat(prod.one(V2HorizontalPodAutoscaler.class, "HorizontalPodAutoscaler", name)
                            .getSpec()
                            .getMaxReplicas())
                    .isGreaterThan(dev.one(V2HorizontalPodAutoscaler.class, "HorizontalPodAutoscaler", name)
                            .getSpec()
                            .getMaxReplicas());
            for (String resource : List.of("cpu", "memory")) {
                assertThat(onlyContainer(prod, service)
                                .getResources()
                                .getRequests()
                                .get(resource)
                                .getNumber())
                        .as("%s %s request", name, resource)
                        .isGreaterThan(onlyContainer(dev, service)
                                .getResources()
                                .getRequests()
                                .get(resource)
                                .getNumber());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theOperatorGetsTheAlertsComposeLoads(String overlay) {
        List<Map<String, Object>> rules = RenderedOverlay.of(overlay).raw("PrometheusRule");

        assertThat(rules).hasSize(1);
        assertThat(YamlDocuments.map(rules.get(0), "spec"))
                .isEqualTo(YamlDocuments.file(DeployFolder.resolve("prometheus/alerts.yml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDashboardIsAConfigMapForGrafanasSidecarMadeFromItsJsonFile(String overlay) throws IOException {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<Path> files;
        try (Stream<Path> listed = Files.list(DeployFolder.path().resolve(GrafanaDashboards.FOLDER))) {
            files = listed.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }

        List<V1ConfigMap> dashboards = rendered.all(V1ConfigMap.class).stream()
                .filter(configMap -> Optional.ofNullable(configMap.getMetadata().getLabels())
                        .orElse(Map.of())
                        .containsKey(GrafanaDashboards.SIDECAR_LABEL))
                .toList();
        assertThat(dashboards).as("one ConfigMap per dashboard file").hasSize(files.size());
        for (Path file : files) {
            String name = file.getFileName().toString();
            V1ConfigMap configMap = rendered.one(
                    V1ConfigMap.class, "ConfigMap", "bulwark-dashboard-" + name.substring(0, name.length() - 5));
            assertThat(configMap.getMetadata().getLabels())
                    .containsEntry(GrafanaDashboards.SIDECAR_LABEL, "1")
                    .containsEntry("app.kubernetes.io/part-of", "bulwark");
            assertThat(configMap.getData())
                    .as("the sidecar writes each key as a file: prefixed, so no other application's clashes")
                    .containsOnlyKeys("bulwark-" + name);
            assertThat(configMap.getData().get("bulwark-" + name))
                    .as(
                            "%s carries the dashboard file unchanged",
                            configMap.getMetadata().getName())
                    .isEqualTo(Files.readString(file));
        }
    }

    @Test
    void strictParsingRefusesAMisspelledRuleFieldAndABadDuration() {
        Map<String, Object> rule =
                RenderedOverlay.of("dev").raw("PrometheusRule").get(0);
        String json = YamlDocuments.json(rule);
        Map<String, Object> misspelled =
                YamlDocuments.all(json.replaceFirst("\"for\"", "\"fro\"")).get(0);
        Map<String, Object> badDuration = YamlDocuments.all(
                        json.replaceFirst("\"for\":\"[0-9]+m\"", "\"for\":\"10 minutes\""))
                .get(0);

        assertThat(StrictKubernetes.parse(rule)).isSameAs(rule);
        assertThatThrownBy(() -> StrictKubernetes.parse(misspelled)).hasMessageContaining("unknown field 'fro'");
        assertThatThrownBy(() -> StrictKubernetes.parse(badDuration)).hasMessageContaining("10 minutes");
    }

    @Test
    void strictParsingRefusesAMisspelledFieldAndAnUnknownKind() {
        Map<String, Object> deployment = RenderedOverlay.of("dev").objects().stream()
                .filter(o -> o.kind().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .raw();
        String misspelled = YamlDocuments.json(deployment).replace("\"readinessProbe\"", "\"readinesProbe\"");
        Map<String, Object> broken = YamlDocuments.all(misspelled).get(0);

        assertThatThrownBy(() -> StrictKubernetes.parse(broken)).hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> StrictKubernetes.parse(Map.of("apiVersion", "v1", "kind", "Secret")))
                .hasMessageContaining("no strict check for kind Secret");
        Map<String, Object> topic =
                new LinkedHashMap<>(RenderedOverlay.of("dev").raw("KafkaTopic").get(0));
        Map<String, Object> spec = new LinkedHashMap<>(YamlDocuments.map(topic, "spec"));
        spec.put("partitions", 0);
        topic.put("spec", spec);
        assertThatThrownBy(() -> StrictKubernetes.parse(topic)).hasMessageContaining("partitions");
    }

    private static void assertProbe(
            BulwarkService service, String kind, V1Probe probe, String path, V1Container container, int port) {
        assertThat(probe).as("%s %s probe", service.moduleName(), kind).isNotNull();
        assertThat(probe.getHttpGet())
                .as("%s %s probe is an HTTP GET", service.moduleName(), kind)
                .isNotNull();
        assertThat(probe.getHttpGet().getPath())
                .as("%s %s path", service.moduleName(), kind)
                .isEqualTo(path);
        assertThat(resolve(probe.getHttpGet().getPort(), container))
                .as("%s %s port", service.moduleName(), kind)
                .isEqualTo(port);
    }

    private static V1Container onlyContainer(RenderedOverlay rendered, BulwarkService service) {
        List<V1Container> containers = rendered.one(V1Deployment.class, "Deployment", service.moduleName())
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers();
        assertThat(containers).as("%s containers", service.moduleName()).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> podLabels(RenderedOverlay rendered, BulwarkService service) {
        return rendered.one(V1Deployment.class, "Deployment", service.moduleName())
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
    }

    private static int declaredPort(V1Container container, String name) {
        return container.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(V1ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " declares no port named " + name));
    }

    /** A probe's or Service's port as a number: a name is looked up among the container's declared ports. */
    private static int resolve(IntOrString port, V1Container container) {
        if (port.isInteger()) {
            int number = port.getIntValue();
            assertThat(container.getPorts())
                    .extracting(V1ContainerPort::getContainerPort)
                    .as("%s declares port %d", container.getName(), number)
                    .contains(number);
            return number;
        }
        return declaredPort(container, port.getStrValue());
    }

    private static V1Volume volume(V1PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /**
     * The container's environment as the kubelet builds it: every ConfigMap of envFrom first, then env, with
     * {@code $(VAR)} references expanded and ConfigMap keys looked up (a secret's value stays unknown). Fails if a
     * ConfigMap, a key of one or a referenced variable is missing.
     */
    private static Map<String, String> environment(RenderedOverlay rendered, V1Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (V1EnvFromSource source :
                Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            assertThat(source.getSecretRef())
                    .as("secrets come in one key at a time")
                    .isNull();
            String configMap = source.getConfigMapRef().getName();
            env.putAll(rendered.one(V1ConfigMap.class, "ConfigMap", configMap).getData());
        }
        for (V1EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (variable.getValue() == null) {
                V1ConfigMapKeySelector fromConfigMap = variable.getValueFrom().getConfigMapKeyRef();
                if (fromConfigMap != null) {
                    Map<String, String> data = rendered.one(V1ConfigMap.class, "ConfigMap", fromConfigMap.getName())
                            .getData();
                    assertThat(data)
                            .as(
                                    "%s: %s comes from key %s of ConfigMap %s",
                                    container.getName(),
                                    variable.getName(),
                                    fromConfigMap.getKey(),
                                    fromConfigMap.getName())
                            .containsKey(fromConfigMap.getKey());
                    env.put(variable.getName(), data.get(fromConfigMap.getKey()));
                } else {
                    env.put(variable.getName(), "<from " + variable.getValueFrom() + ">");
                }
                continue;
            }
            Matcher reference = VARIABLE_REFERENCE.matcher(variable.getValue());
            StringBuilder expanded = new StringBuilder();
            while (reference.find()) {
                String referenced = reference.group(1);
                assertThat(env)
                        .as("%s: %s refers to $(%s)", container.getName(), variable.getName(), referenced)
                        .containsKey(referenced);
                reference.appendReplacement(expanded, Matcher.quoteReplacement(env.get(referenced)));
            }
            reference.appendTail(expanded);
            env.put(variable.getName(), expanded.toString());
        }
        return env;
    }

    private static String portName(V1NetworkPolicyPort port) {
        IntOrString number = port.getPort();
        return port.getProtocol() + "/" + (number.isInteger() ? number.getIntValue() : number.getStrValue());
    }

    private static Map<String, String> castStrings(Map<String, Object> map) {
        Map<String, String> strings = new HashMap<>();
        map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }
}
