package dev.bulwark.deploy.manifests;

import dev.bulwark.deploy.BulwarkService;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kubernetes objects of one service, written from {@link BulwarkService} (name, port, database) so the four
 * services cannot drift apart: its ServiceAccount, ConfigMap, Deployment, Service, PodDisruptionBudget,
 * HorizontalPodAutoscaler, NetworkPolicy and ServiceMonitor. Secrets are only referenced: the database credentials
 * ({@code <service>-db}: username, password), the JWT public key ({@code bulwark-jwt}: public.pem) and
 * device-registry's device credential key ({@code bulwark-device-credentials}: signing-key.pem) are created by the
 * operator. The overlays change replicas and resources.
 */
public final class ServiceManifests {

    /** The uid and gid the image's user has (deploy/docker/Dockerfile.jvm) and the pods run as. */
    public static final int RUN_AS_USER = 10001;

    private static final String TEMPLATE =
            """
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            automountServiceAccountToken: false
            ---
            # Non-secret settings of this service; the shared ones are in bulwark-common (common.yaml).
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{service}}-config
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            data:
              QUARKUS_HTTP_PORT: "{{port}}"
              BULWARK_DB_NAME: {{database}}{{deviceKeyConfig}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              replicas: 2
              revisionHistoryLimit: 5
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{service}}
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: {{service}}
                    app.kubernetes.io/component: service
                spec:
                  serviceAccountName: {{service}}
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
                          app.kubernetes.io/name: {{service}}
                  containers:
                    - name: {{service}}
                      image: bulwark/{{service}}
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: {{port}}
                          protocol: TCP
                      envFrom:
                        - configMapRef:
                            name: bulwark-common
                        - configMapRef:
                            name: {{service}}-config
                      env:
                        # $(VAR) is expanded by the kubelet from the variables above (envFrom comes first).
                        - name: QUARKUS_DATASOURCE_JDBC_URL
                          value: jdbc:postgresql://$(BULWARK_DB_HOST):$(BULWARK_DB_PORT)/$(BULWARK_DB_NAME)$(BULWARK_DB_URL_PARAMETERS)
                        - name: QUARKUS_DATASOURCE_USERNAME
                          valueFrom:
                            secretKeyRef:
                              name: {{service}}-db
                              key: username
                        - name: QUARKUS_DATASOURCE_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: {{service}}-db
                              key: password
                      resources:
                        requests:
                          cpu: 250m
                          memory: 384Mi
                        limits:
                          cpu: "1"
                          memory: 512Mi
                      # Flyway migrates at start; the startup probe gives it two minutes before liveness counts.
                      startupProbe:
                        httpGet:
                          path: /q/health/started
                          port: http
                        periodSeconds: 2
                        timeoutSeconds: 2
                        failureThreshold: 60
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: http
                        periodSeconds: 5
                        timeoutSeconds: 3
                        failureThreshold: 3
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
                        - name: jwt-public-key
                          mountPath: /etc/bulwark/jwt
                          readOnly: true{{deviceKeyMount}}
                  volumes:
                    # The root file system is read-only; the JVM and Vert.x write only under /tmp.
                    - name: tmp
                      emptyDir:
                        sizeLimit: 256Mi
                    - name: jwt-public-key
                      secret:
                        secretName: bulwark-jwt
                        items:
                          - key: public.pem
                            path: public.pem{{deviceKeyVolume}}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              type: ClusterIP
              selector:
                app.kubernetes.io/name: {{service}}
              ports:
                - name: http
                  port: {{port}}
                  targetPort: http
                  protocol: TCP
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              maxUnavailable: 1
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{service}}
            ---
            # maxReplicas stays at or below the partition count of every topic (6; bulwark.devices.v1 has 12): a
            # consumer-group member beyond the partition count would sit idle.
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: {{service}}
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
            # In: the service port only (clients and Prometheus). Out: Kafka, PostgreSQL, DNS and device-registry (the
            # JWKS of device credentials) only.
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              podSelector:
                matchLabels:
                  app.kubernetes.io/name: {{service}}
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
                          strimzi.io/cluster: bulwark
                          strimzi.io/kind: Kafka
                  ports:
                    - protocol: TCP
                      port: 9092
                - to:
                    - podSelector:
                        matchLabels:
                          app.kubernetes.io/name: device-registry
                  ports:
                    - protocol: TCP
                      port: 8081
                # PostgreSQL may be in the cluster (an operator) or outside it (a managed database): port only.
                - ports:
                    - protocol: TCP
                      port: 5432
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
                # The organisation's identity provider (BULWARK_OIDC_*: discovery and signing keys) over HTTPS, outside
                # the cluster only. An overlay narrows it to the provider's address, or drops it when only the dev key
                # signs tokens (DEPLOYING.md).
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
              name: {{service}}
              labels:
                app.kubernetes.io/name: {{service}}
                app.kubernetes.io/component: service
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{service}}
              endpoints:
                - port: http
                  path: /q/metrics
                  interval: 30s
            """;

    private ServiceManifests() {}

    /** One file per service, {@code k8s/base/services/<service>.yaml}. */
    public static List<GeneratedFile> all() {
        return BulwarkService.services().stream()
                .map(service -> new GeneratedFile(
                        Path.of("k8s", "base", "services", service.moduleName() + ".yaml"), yaml(service)))
                .toList();
    }

    /** Every object of one service, as a multi-document YAML file. */
    public static String yaml(BulwarkService service) {
        return GeneratedFiles.stamp("#", "dev.bulwark.deploy.BulwarkService (" + service.moduleName() + ")")
                + TEMPLATE.replace("{{service}}", service.moduleName())
                        .replace("{{port}}", Integer.toString(service.defaultPort()))
                        .replace("{{database}}", service.database())
                        .replace("{{uid}}", Integer.toString(RUN_AS_USER))
                        .replace("{{deviceKeyConfig}}", signsDeviceCredentials(service) ? DEVICE_KEY_CONFIG : "")
                        .replace("{{deviceKeyMount}}", signsDeviceCredentials(service) ? DEVICE_KEY_MOUNT : "")
                        .replace("{{deviceKeyVolume}}", signsDeviceCredentials(service) ? DEVICE_KEY_VOLUME : "");
    }

    /** device-registry signs device credentials, with the key of the {@code bulwark-device-credentials} secret. */
    private static boolean signsDeviceCredentials(BulwarkService service) {
        return service == BulwarkService.DEVICE_REGISTRY;
    }

    private static final String DEVICE_KEY_CONFIG = "\n"
            + "  # The P-256 key device credentials are signed with (secret bulwark-device-credentials).\n"
            + "  BULWARK_DEVICE_CREDENTIALS_SIGNING_KEY_LOCATION: /etc/bulwark/device-credentials/signing-key.pem";

    private static final String DEVICE_KEY_MOUNT = "\n"
            + "            - name: device-credential-key\n"
            + "              mountPath: /etc/bulwark/device-credentials\n"
            + "              readOnly: true";

    private static final String DEVICE_KEY_VOLUME = "\n"
            + "        - name: device-credential-key\n"
            + "          secret:\n"
            + "            secretName: bulwark-device-credentials\n"
            + "            items:\n"
            + "              - key: signing-key.pem\n"
            + "                path: signing-key.pem";
}
