package dev.bulwark.deploy.manifests;

import dev.bulwark.deploy.BulwarkService;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The Kubernetes objects of the gateway, written from {@link BulwarkService} so its upstream addresses are the four
 * services' own Service names and ports: ServiceAccount, ConfigMap (where each service is), Deployment, Service,
 * PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy (in: its port; out: the four services and DNS only),
 * ServiceMonitor, and the Ingress that sends every request to it. It needs no secret, database or Kafka. The Ingress
 * names no class and no host: the cluster's default class takes it, and an overlay adds the host and TLS.
 */
public final class GatewayManifests {

    private static final String TEMPLATE =
            """
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            automountServiceAccountToken: false
            ---
            # Where each service answers: its Service name and port in this namespace.
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: gateway-config
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            data:
              QUARKUS_HTTP_PORT: "{{port}}"
            {{upstreams}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              replicas: 2
              revisionHistoryLimit: 5
              selector:
                matchLabels:
                  app.kubernetes.io/name: gateway
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: gateway
                    app.kubernetes.io/component: gateway
                spec:
                  serviceAccountName: gateway
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
                          app.kubernetes.io/name: gateway
                  containers:
                    - name: gateway
                      image: bulwark/gateway
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: {{port}}
                          protocol: TCP
                      envFrom:
                        - configMapRef:
                            name: gateway-config
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
                  volumes:
                    # The root file system is read-only; the JVM and Vert.x write only under /tmp.
                    - name: tmp
                      emptyDir:
                        sizeLimit: 64Mi
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              type: ClusterIP
              selector:
                app.kubernetes.io/name: gateway
              ports:
                - name: http
                  port: {{port}}
                  targetPort: http
                  protocol: TCP
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              maxUnavailable: 1
              selector:
                matchLabels:
                  app.kubernetes.io/name: gateway
            ---
            # No partitions to respect: the gateway holds no state, so it scales with its CPU alone.
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: gateway
              minReplicas: 2
              maxReplicas: 6
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
            # In: its port only (the Ingress controller, Prometheus). Out: the four services and DNS only.
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              podSelector:
                matchLabels:
                  app.kubernetes.io/name: gateway
              policyTypes:
                - Ingress
                - Egress
              ingress:
                - ports:
                    - protocol: TCP
                      port: {{port}}
              egress:
            {{egress}}
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
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: gateway
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: gateway
              endpoints:
                - port: http
                  path: /q/metrics
                  interval: 30s
            ---
            # Everything to the gateway, which routes by path; an overlay adds the host, TLS and ingressClassName.
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: bulwark
              labels:
                app.kubernetes.io/name: gateway
                app.kubernetes.io/component: gateway
            spec:
              rules:
                - http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: gateway
                            port:
                              name: http
            """;

    private GatewayManifests() {}

    /** The gateway's file, {@code k8s/base/gateway.yaml}. */
    public static GeneratedFile file() {
        return new GeneratedFile(Path.of("k8s", "base", "gateway.yaml"), yaml());
    }

    static String yaml() {
        String upstreams = BulwarkService.services().stream()
                .map(service -> "  BULWARK_GATEWAY_UPSTREAM_" + service.name() + ": http://" + service.moduleName()
                        + ":" + service.defaultPort())
                .collect(Collectors.joining("\n"));
        String egress = BulwarkService.services().stream()
                .map(service -> "    - to:\n"
                        + "        - podSelector:\n"
                        + "            matchLabels:\n"
                        + "              app.kubernetes.io/name: " + service.moduleName() + "\n"
                        + "      ports:\n"
                        + "        - protocol: TCP\n"
                        + "          port: " + service.defaultPort())
                .collect(Collectors.joining("\n"));
        return GeneratedFiles.stamp("#", "dev.bulwark.deploy.BulwarkService (gateway)")
                + TEMPLATE.replace("{{upstreams}}", upstreams)
                        .replace("{{egress}}", egress)
                        .replace("{{port}}", Integer.toString(BulwarkService.GATEWAY.defaultPort()))
                        .replace("{{uid}}", Integer.toString(ServiceManifests.RUN_AS_USER));
    }
}
