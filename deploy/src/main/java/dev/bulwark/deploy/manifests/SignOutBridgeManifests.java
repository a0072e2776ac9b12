package dev.bulwark.deploy.manifests;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import java.nio.file.Path;

/**
 * The Kubernetes objects of the sign-out bridge, written from {@link BulwarkService#SIGNOUT_BRIDGE}: ServiceAccount,
 * ConfigMap (where the identity provider is: placeholders an overlay replaces), Deployment, Service (for scraping
 * only), PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy (in: its port; out: Kafka, DNS and HTTPS outside
 * the cluster only) and ServiceMonitor. It has no database and serves no API; the Keycloak client secret is only
 * referenced ({@code bulwark-signout-bridge}: client-secret), created by the operator.
 */
public final class SignOutBridgeManifests {

    /** The Secret the operator creates, holding the Keycloak client's secret. */
    private static final String SECRET = "bulwark-signout-bridge";

    /** The key of {@link #SECRET} that holds the client secret. */
    private static final String SECRET_KEY = "client-secret";

    private static final String TEMPLATE =
            """
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            automountServiceAccountToken: false
            ---
            # Where the identity provider is. The values below are placeholders: an overlay replaces them with the
            # organisation's Keycloak (see deploy/DEPLOYING.md, "The sign-out bridge"). Kafka comes from bulwark-common.
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{name}}-config
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            data:
              QUARKUS_HTTP_PORT: "{{port}}"
              # Keycloak's base URL, without /realms/...
              BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL: https://login.example.com
              # The realm of every tenant (several realms: see deploy/DEPLOYING.md).
              BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM: bulwark
              # The confidential client whose service account calls the admin API; its secret is in {{secret}}.
              BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID: bulwark-signout-bridge
              # How Bulwark's user id is found at Keycloak; it must match the services' BULWARK_OIDC_<NAME>_USER_CLAIM:
              # preferred_username -> username, sub -> id, email -> email.
              BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_USER_LOOKUP: username
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              replicas: 2
              revisionHistoryLimit: 5
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{name}}
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: {{name}}
                    app.kubernetes.io/component: bridge
                spec:
                  serviceAccountName: {{name}}
                  automountServiceAccountToken: false
                  terminationGracePeriodSeconds: 30
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: {{uid}}
                    runAsGroup: {{uid}}
                    fsGroup: {{uid}}
                    seccompProfile:
                      type: RuntimeDefault
                  topologySpreadConstraints:
                    - maxSkew: 1
                      topologyKey: kubernetes.io/hostname
                      whenUnsatisfiable: ScheduleAnyway
                      labelSelector:
                        matchLabels:
                          app.kubernetes.io/name: {{name}}
                  containers:
                    - name: {{name}}
                      image: bulwark/{{name}}
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: {{port}}
                          protocol: TCP
                      envFrom:
                        - configMapRef:
                            name: {{name}}-config
                      env:
                        # From bulwark-common, one key at a time: the broker (an overlay that moves Kafka moves it for
                        # the services and the bridge alike) and the JVM options; none of its database or token settings.
                        - name: KAFKA_BOOTSTRAP_SERVERS
                          valueFrom:
                            configMapKeyRef:
                              name: bulwark-common
                              key: KAFKA_BOOTSTRAP_SERVERS
                        - name: JAVA_OPTS
                          valueFrom:
                            configMapKeyRef:
                              name: bulwark-common
                              key: JAVA_OPTS
                        # Required: without it the bridge does not start (and the pod waits for the secret).
                        - name: BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET
                          valueFrom:
                            secretKeyRef:
                              name: {{secret}}
                              key: {{secretKey}}
                      resources:
                        requests:
                          cpu: 100m
                          memory: 192Mi
                        limits:
                          cpu: "1"
                          memory: 256Mi
                      startupProbe:
                        httpGet:
                          path: /q/health/started
                          port: http
                        periodSeconds: 2
                        timeoutSeconds: 2
                        failureThreshold: 30
                      # Not ready before its first poll, and while a record waits on the identity provider.
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: http
                        periodSeconds: 5
                        timeoutSeconds: 3
                        failureThreshold: 3
                      # Not live once the consumer loop has ended on an error: it is not restarted in process.
                      livenessProbe:
                        httpGet:
                          path: /q/health/live
                          port: http
                        periodSeconds: 10
                        timeoutSeconds: 3
                        failureThreshold: 3
                      securityContext:
                        runAsNonRoot: true
                        runAsUser: {{uid}}
                        runAsGroup: {{uid}}
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        privileged: false
                        capabilities:
                          drop:
                            - ALL
                      volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    # The root file system is read-only; the JVM and Vert.x write only under /tmp.
                    - name: tmp
                      emptyDir:
                        sizeLimit: 64Mi
            ---
            # For scraping only: nothing calls the bridge. A replica waiting on the identity provider is not ready, and
            # its metrics matter most then, so not-ready replicas stay among the endpoints.
            apiVersion: v1
            kind: Service
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              type: ClusterIP
              publishNotReadyAddresses: true
              selector:
                app.kubernetes.io/name: {{name}}
              ports:
                - name: http
                  port: {{port}}
                  targetPort: http
                  protocol: TCP
            ---
            # A replica that is not ready is waiting on the identity provider; evicting it (a node drain) loses
            # nothing, as its partitions go to another replica and the uncommitted record is carried out there.
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              maxUnavailable: 1
              unhealthyPodEvictionPolicy: AlwaysAllow
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{name}}
            ---
            # maxReplicas stays at or below the partition count of {{topic}} ({{partitions}}): a consumer-group
            # member beyond it would sit idle.
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: {{name}}
              minReplicas: 2
              maxReplicas: 4
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target:
                      type: Utilization
                      averageUtilization: 70
              behavior:
                scaleDown:
                  stabilizationWindowSeconds: 300
            ---
            # In: its port only (Prometheus). Out: the Strimzi Kafka pods, DNS, and HTTPS (443) to any address outside
            # the cluster, for the identity provider. An overlay narrows the last rule to the provider's address (an
            # ipBlock /32), or, for a Keycloak inside the cluster, adds a rule to its pods and port: an ipBlock does
            # not reliably match pod addresses. See deploy/DEPLOYING.md, "The sign-out bridge".
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              podSelector:
                matchLabels:
                  app.kubernetes.io/name: {{name}}
              policyTypes:
                - Ingress
                - Egress
              ingress:
                - ports:
                    - protocol: TCP
                      port: {{port}}
              egress:
                - to:
                    - namespaceSelector: {}
                      podSelector:
                        matchLabels:
                          strimzi.io/cluster: {{kafkaCluster}}
                          strimzi.io/kind: Kafka
                  ports:
                    - protocol: TCP
                      port: 9092
                - to:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: kube-system
                      podSelector:
                        matchLabels:
                          k8s-app: kube-dns
                  ports:
                    - protocol: UDP
                      port: 53
                    - protocol: TCP
                      port: 53
                - to:
                    - ipBlock:
                        cidr: 0.0.0.0/0
                    - ipBlock:
                        cidr: ::/0
                  ports:
                    - protocol: TCP
                      port: 443
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/component: bridge
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{name}}
              endpoints:
                - port: http
                  path: /q/metrics
                  interval: 30s
            """;

    private SignOutBridgeManifests() {}

    /** The bridge's file, {@code k8s/base/signout-bridge.yaml}. */
    public static GeneratedFile file() {
        return new GeneratedFile(Path.of("k8s", "base", BulwarkService.SIGNOUT_BRIDGE.moduleName() + ".yaml"), yaml());
    }

    static String yaml() {
        BulwarkService bridge = BulwarkService.SIGNOUT_BRIDGE;
        return GeneratedFiles.stamp("#", "dev.bulwark.deploy.BulwarkService (" + bridge.moduleName() + ")")
                + TEMPLATE.replace("{{name}}", bridge.moduleName())
                        .replace("{{port}}", Integer.toString(bridge.defaultPort()))
                        .replace("{{uid}}", Integer.toString(ServiceManifests.RUN_AS_USER))
                        .replace("{{secret}}", SECRET)
                        .replace("{{secretKey}}", SECRET_KEY)
                        .replace("{{kafkaCluster}}", TopicManifests.KAFKA_CLUSTER)
                        .replace("{{topic}}", Topics.SIGNOUT)
                        .replace("{{partitions}}", Integer.toString(signOutPartitions()));
    }

    private static int signOutPartitions() {
        return Topics.spec(Topics.SIGNOUT)
                .orElseThrow(() -> new IllegalStateException(Topics.SIGNOUT + " is not in the topic catalogue"))
                .partitions();
    }
}
