package dev.bulwark.deploy.manifests;

import dev.bulwark.deploy.BulwarkService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bulwark's Grafana dashboards: an overview of the pipeline and one dashboard per process of {@link BulwarkService},
 * written as JSON under {@code grafana/dashboards/} (compose's Grafana mounts that folder) and listed in
 * {@code grafana/kustomization.yaml}, which makes each a ConfigMap for Grafana's dashboard sidecar on Kubernetes. The
 * panels share a few shapes (HTTP, Kafka consumers, outbox, JVM) across six processes, so they are generated from one
 * description rather than kept in sync by hand in seven files. Every metric they read is one the processes export (or
 * Prometheus' own {@code up}): {@code grafana/exported-metrics.txt}, checked by {@code DashboardsTest} and, against the
 * running services, by scenario-tests' {@code MetricNamesScenariosIT}.
 */
public final class GrafanaDashboards {

    /** Where the dashboards are, relative to the deploy module folder. */
    public static final Path FOLDER = Path.of("grafana", "dashboards");

    /** The kustomization that turns the dashboards into ConfigMaps, relative to the deploy module folder. */
    public static final Path KUSTOMIZATION = Path.of("grafana", "kustomization.yaml");

    /** The dashboards' datasource variable; panels name their datasource as {@code ${DS_PROMETHEUS}}. */
    public static final String DATASOURCE_VARIABLE = "DS_PROMETHEUS";

    /**
     * The uid the datasource variable starts with: compose's Grafana provisions its Prometheus under it (as
     * kube-prometheus-stack does); another Grafana picks its own Prometheus in the variable.
     */
    public static final String DATASOURCE_UID = "prometheus";

    /** The label Grafana's dashboard sidecar looks for on ConfigMaps. */
    public static final String SIDECAR_LABEL = "grafana_dashboard";

    /** The tag every Bulwark dashboard carries; the dashboards' links list the others by it. */
    static final String TAG = "bulwark";

    /** The consumer lag BulwarkConsumerLagging fires above (prometheus/alerts.yml), drawn as a line. */
    private static final double LAG_ALERT_RECORDS = 1000;
    /** The oldest outbox row's age BulwarkOutboxBackingUp fires above, in seconds. */
    private static final double OUTBOX_ALERT_SECONDS = 120;
    /** How overdue a remediation deadline is when BulwarkRemediationDeadlinesOverdue fires, in seconds. */
    private static final double OVERDUE_ALERT_SECONDS = 300;

    private static final Set<BulwarkService> KAFKA_CONSUMERS = EnumSet.of(
            BulwarkService.ASSIGNMENT_SERVICE,
            BulwarkService.POLICY_SERVICE,
            BulwarkService.COMPLIANCE_SERVICE,
            BulwarkService.SIGNOUT_BRIDGE);

    private GrafanaDashboards() {}

    /** Every dashboard file, then the kustomization that makes them ConfigMaps. */
    public static List<GeneratedFile> files() {
        List<GeneratedFile> files = new ArrayList<>();
        for (Dashboard dashboard : dashboards()) {
            files.add(new GeneratedFile(FOLDER.resolve(dashboard.file()), JsonText.of(dashboard.json())));
        }
        files.add(new GeneratedFile(KUSTOMIZATION, kustomization()));
        return List.copyOf(files);
    }

    /** The overview, then one dashboard per process in {@link BulwarkService}'s order. */
    static List<Dashboard> dashboards() {
        List<Dashboard> dashboards = new ArrayList<>();
        dashboards.add(overview());
        for (BulwarkService process : BulwarkService.values()) {
            dashboards.add(process(process));
        }
        return dashboards;
    }

    /** The uid of a process's dashboard, e.g. {@code bulwark-device-registry}. */
    public static String uid(BulwarkService process) {
        return "bulwark-" + process.moduleName();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The overview

    private static Dashboard overview() {
        String f = "service=~\"$service\"";
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(
                "Processes",
                List.of(Panel.stat(
                                "Replicas up, by process",
                                "",
                                24,
                                "Targets Prometheus scraped successfully (up == 1). A process that is gone shows 0;"
                                        + " one that runs but is not ready still counts (readiness is not a metric).",
                                q("sum by (service) (up{" + f + "})", "{{service}}"))
                        .goodFrom(1))));
        sections.add(new Section(
                "Requests (HTTP, every process but the sign-out bridge)",
                List.of(
                        Panel.chart(
                                "Requests per second, by process",
                                "reqps",
                                8,
                                "All HTTP requests the process answered (Quarkus leaves /q/* out).",
                                q(
                                        "sum by (service) (rate(http_server_requests_seconds_count{" + f
                                                + "}[$__rate_interval]))",
                                        "{{service}}")),
                        Panel.chart(
                                "Server errors (5xx) per second, by process",
                                "reqps",
                                8,
                                "Requests answered with a 5xx status (outcome SERVER_ERROR).",
                                q(
                                        "sum by (service) (rate(http_server_requests_seconds_count{" + f
                                                + ", outcome=\"SERVER_ERROR\"}[$__rate_interval]))",
                                        "{{service}}")),
                        Panel.chart(
                                "Mean latency, by process",
                                "s",
                                8,
                                "Mean time to answer a request, and the 99th percentile from the latency histogram"
                                        + " (service-kit's buckets, 5 ms to 10 s); each process's dashboard shows"
                                        + " them per route.",
                                q(
                                        "histogram_quantile(0.99, sum by (service, le)"
                                                + " (rate(http_server_requests_seconds_bucket{" + f
                                                + "}[$__rate_interval])))",
                                        "{{service}} p99"),
                                q(
                                        "sum by (service) (rate(http_server_requests_seconds_sum{" + f
                                                + "}[$__rate_interval]))\n/\nsum by (service)"
                                                + " (rate(http_server_requests_seconds_count{" + f
                                                + "}[$__rate_interval]))",
                                        "{{service}}")))));
        sections.add(new Section(
                "Kafka consumers",
                List.of(
                        Panel.chart(
                                        "Consumer lag: records behind on the worst partition, by process and topic",
                                        "short",
                                        12,
                                        "The Kafka client's records-lag-max. The line is where BulwarkConsumerLagging"
                                                + " fires (above 1000 for 10 minutes). The topic label appears"
                                                + " about a minute after a consumer starts.",
                                        q(
                                                "max by (service, topic)"
                                                        + " (kafka_consumer_fetch_manager_records_lag_max{" + f + "})",
                                                "{{service}} {{topic}}"))
                                .badAbove(LAG_ALERT_RECORDS),
                        Panel.chart(
                                "Records consumed per second, by process",
                                "short",
                                12,
                                "Records the processes' Kafka consumers fetched and handed to Bulwark.",
                                q(
                                        "sum by (service)"
                                                + " (rate(kafka_consumer_fetch_manager_records_consumed_total{" + f
                                                + "}[$__rate_interval]))",
                                        "{{service}}")))));
        sections.add(new Section(
                "Outbox and dead letters",
                List.of(
                        Panel.chart(
                                        "Oldest unpublished outbox event, by process",
                                        "s",
                                        8,
                                        "How long the oldest row of each service's outbox has waited for Kafka (0:"
                                                + " the outbox is empty). The outbox's depth (rows waiting) is not"
                                                + " exported, so this age stands for it. The line is where"
                                                + " BulwarkOutboxBackingUp fires (above 2 minutes for 5 minutes).",
                                        q(
                                                "max by (service) (bulwark_outbox_oldest_age_seconds{" + f + "})",
                                                "{{service}}"))
                                .badAbove(OUTBOX_ALERT_SECONDS),
                        Panel.chart(
                                "Outbox events published, and relay rounds failed, per second",
                                "short",
                                8,
                                "Events the outbox relays published to Kafka, and relay rounds that failed (and will"
                                        + " be retried: BulwarkOutboxRelayFailing after 10 minutes of failures).",
                                q(
                                        "sum by (service) (rate(bulwark_outbox_published_total{" + f
                                                + "}[$__rate_interval]))",
                                        "published {{service}}"),
                                q(
                                        "sum by (service) (rate(bulwark_outbox_failures_total{" + f
                                                + "}[$__rate_interval]))",
                                        "failed rounds {{service}}")),
                        Panel.chart(
                                "Given up on, since each replica started: dead letters and parked events",
                                "short",
                                8,
                                "Records a consumer could never apply (written to its dead-letter topic; the"
                                        + " counter appears at a channel's first one) and outbox events Kafka refused"
                                        + " for good (moved to outbox_parked). Any step up is worth a look:"
                                        + " ./bulwark dlq <service>, BulwarkDeadLettersWritten,"
                                        + " BulwarkOutboxEventsParked.",
                                q(
                                        "sum by (service, topic) (bulwark_consumer_dead_letters_total{" + f + "})",
                                        "dead letters {{service}} ({{topic}})"),
                                q(
                                        "sum by (service) (bulwark_outbox_parked_total{" + f + "})",
                                        "parked {{service}}")))));
        sections.add(new Section(
                "Remediation (compliance-service)",
                List.of(
                        Panel.chart(
                                "Remediation deadlines pending",
                                "short",
                                8,
                                "Deadlines running: subjects given time to fix before the next remediation step."
                                        + " Read from compliance-service's database, which its replicas share.",
                                q("max by (service) (bulwark_compliance_remediation_pending)", "pending")),
                        Panel.chart(
                                        "Most overdue pending deadline",
                                        "s",
                                        8,
                                        "How long the most overdue pending deadline has been due (0: none is). The"
                                                + " line is where BulwarkRemediationDeadlinesOverdue fires (above 5"
                                                + " minutes for 5 minutes): sign-outs are late.",
                                        q(
                                                "max by (service) (bulwark_compliance_remediation_overdue_seconds)",
                                                "overdue"))
                                .badAbove(OVERDUE_ALERT_SECONDS),
                        Panel.chart(
                                "Fixes judged too late, in the last hour",
                                "short",
                                8,
                                "Fixes reported before their deadline that arrived after it had fired"
                                        + " (BulwarkComplianceLateFixes): raise the watermark's allowed lateness.",
                                q("sum(increase(bulwark_compliance_late_fixes_total[1h]))", "late fixes")))));
        sections.add(new Section(
                "Sign-outs (the sign-out bridge)",
                List.of(
                        Panel.chart(
                                "Sign-outs carried out at the identity provider per second, by reason",
                                "short",
                                6,
                                "SignOutRequired events whose sessions the bridge ended. compliance-service does not"
                                        + " count the sign-outs it requires (deploy/README.md, Metrics and alerts),"
                                        + " so these are the sign-outs as the bridge carries them out.",
                                q(
                                        "sum by (reason) (rate(signouts_carried_out_total[$__rate_interval]))",
                                        "{{reason}}")),
                        Panel.chart(
                                "Identity provider failures per second, and dead letters",
                                "short",
                                6,
                                "Attempts the identity provider could not carry out now (retried with backoff), and"
                                        + " records the bridge dead-lettered since each replica started (the counter"
                                        + " appears at the first one).",
                                q(
                                        "sum by (provider) (rate(signouts_provider_failures_total[$__rate_interval]))",
                                        "failures {{provider}}"),
                                q("sum by (cause) (signouts_dead_lettered_total)", "dead-lettered {{cause}}")),
                        Panel.chart(
                                "Delay from the event to its sessions ended",
                                "s",
                                6,
                                "From a SignOutRequired's occurredAt to its sessions ended at the identity provider:"
                                        + " median, 99th percentile, and the slowest of the last minutes.",
                                q(
                                        "histogram_quantile(0.5, sum by (le)"
                                                + " (rate(signout_bridge_delay_seconds_bucket[$__rate_interval])))",
                                        "p50"),
                                q(
                                        "histogram_quantile(0.99, sum by (le)"
                                                + " (rate(signout_bridge_delay_seconds_bucket[$__rate_interval])))",
                                        "p99"),
                                q("max(signout_bridge_delay_seconds_max)", "max")),
                        Panel.chart(
                                "Sign-outs not yet carried out (records behind)",
                                "short",
                                6,
                                "Records of bulwark.signout.v1 the bridge has not carried out yet, summed over its"
                                        + " replicas.",
                                q("sum(signout_bridge_consumer_lag_records)", "records behind")))));
        return new Dashboard(
                "overview.json",
                "bulwark-overview",
                "Bulwark / Overview",
                "The pipeline at a glance: requests, Kafka consumers, outboxes and dead letters, remediation deadlines"
                        + " and sign-outs, across every process.",
                List.of(datasourceVariable(), serviceVariable()),
                sections);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One dashboard per process

    private static Dashboard process(BulwarkService process) {
        String name = process.moduleName();
        String f = "service=\"" + name + "\", instance=~\"$instance\"";
        List<Section> sections = new ArrayList<>();
        sections.add(replicas(name, f));
        if (process != BulwarkService.SIGNOUT_BRIDGE) {
            sections.add(http(f));
        }
        if (KAFKA_CONSUMERS.contains(process)) {
            sections.add(kafkaConsumers(process, f));
        }
        if (process.hasDatabase()) {
            sections.add(outbox(f));
        }
        switch (process) {
            case DEVICE_REGISTRY -> sections.add(groupCommits(f));
            case COMPLIANCE_SERVICE -> sections.add(remediation(f));
            case SIGNOUT_BRIDGE -> sections.add(signOuts(f));
            default -> {}
        }
        sections.add(jvm(f));
        return new Dashboard(
                name + ".json",
                uid(process),
                "Bulwark / " + name,
                name + ", replica by replica: " + contents(sections) + ".",
                List.of(datasourceVariable(), instanceVariable(name)),
                sections);
    }

    private static Section replicas(String name, String f) {
        return new Section(
                "Replicas",
                List.of(
                        Panel.stat(
                                        "Replicas up",
                                        "",
                                        6,
                                        name + "'s targets that Prometheus scraped successfully (up == 1).",
                                        q("sum(up{service=\"" + name + "\"})", "up"))
                                .goodFrom(1),
                        Panel.stat(
                                "Youngest replica's uptime",
                                "s",
                                6,
                                "A short uptime means a replica (re)started recently.",
                                q("min(process_uptime_seconds{" + f + "})", "uptime")),
                        Panel.stat(
                                        "Busiest replica's CPU",
                                        "percentunit",
                                        6,
                                        "The JVM process's share of the CPUs it may use.",
                                        q("max(process_cpu_usage{" + f + "})", "cpu"))
                                .badAbove(0.8),
                        Panel.stat(
                                        "Fullest replica's heap",
                                        "percentunit",
                                        6,
                                        "Heap used against its maximum, for the replica with the least left.",
                                        q(
                                                "max(\n  sum by (instance) (jvm_memory_used_bytes{" + f
                                                        + ", area=\"heap\"})\n  /\n  sum by (instance)"
                                                        + " (jvm_memory_max_bytes{" + f + ", area=\"heap\"})\n)",
                                                "heap"))
                                .badAbove(0.9)));
    }

    private static Section http(String f) {
        return new Section(
                "HTTP requests",
                List.of(
                        Panel.chart(
                                "Requests per second, by route",
                                "reqps",
                                12,
                                "Requests answered, by method and route template (the ten busiest).",
                                q(
                                        "topk(10, sum by (method, uri) (rate(http_server_requests_seconds_count{" + f
                                                + "}[$__rate_interval])))",
                                        "{{method}} {{uri}}")),
                        Panel.chart(
                                "Responses per second, by status",
                                "reqps",
                                12,
                                "Every status answered; 4xx are refusals (problem+json), 5xx failures.",
                                q(
                                        "sum by (status) (rate(http_server_requests_seconds_count{" + f
                                                + "}[$__rate_interval]))",
                                        "{{status}}")),
                        Panel.chart(
                                "Mean latency, by route",
                                "s",
                                12,
                                "Mean time to answer, by route (the ten slowest).",
                                q(
                                        "topk(10,\n  sum by (method, uri) (rate(http_server_requests_seconds_sum{" + f
                                                + "}[$__rate_interval]))\n  /\n  sum by (method, uri)"
                                                + " (rate(http_server_requests_seconds_count{" + f
                                                + "}[$__rate_interval]))\n)",
                                        "{{method}} {{uri}}")),
                        Panel.chart(
                                "99th percentile latency, by route",
                                "s",
                                12,
                                "From the latency histogram (service-kit's buckets: 5, 10, 25, 50, 100, 250, 500 ms, 1,"
                                        + " 2.5, 10 s), by route (the ten slowest).",
                                q(
                                        "topk(10, histogram_quantile(0.99, sum by (method, uri, le)"
                                                + " (rate(http_server_requests_seconds_bucket{" + f
                                                + "}[$__rate_interval]))))",
                                        "{{method}} {{uri}}")),
                        Panel.chart(
                                "Slowest request, by route",
                                "s",
                                12,
                                "The slowest request of the last two minutes or so (Micrometer's decaying maximum),"
                                        + " by route (the ten slowest).",
                                q(
                                        "topk(10, max by (method, uri) (http_server_requests_seconds_max{" + f + "}))",
                                        "{{method}} {{uri}}"))));
    }

    private static Section kafkaConsumers(BulwarkService process, String f) {
        List<Panel> panels = new ArrayList<>();
        boolean deadLetters = process != BulwarkService.SIGNOUT_BRIDGE;
        int width = deadLetters ? 8 : 12;
        panels.add(Panel.chart(
                        "Records behind, by topic and partition",
                        "short",
                        width,
                        "The Kafka client's records-lag-max. The line is where BulwarkConsumerLagging fires (above"
                                + " 1000 for 10 minutes). Labelled per client during a consumer's first minute, then"
                                + " per topic and partition.",
                        q(
                                "max by (topic, partition) (kafka_consumer_fetch_manager_records_lag_max{" + f + "})",
                                "{{topic}} [{{partition}}]"))
                .badAbove(LAG_ALERT_RECORDS));
        panels.add(Panel.chart(
                "Records consumed per second, by topic",
                "short",
                width,
                "Records fetched by the process's Kafka consumers.",
                q(
                        "sum by (topic) (rate(kafka_consumer_fetch_manager_records_consumed_total{" + f
                                + "}[$__rate_interval]))",
                        "{{topic}}")));
        if (deadLetters) {
            panels.add(Panel.chart(
                    "Dead letters written, since each replica started",
                    "short",
                    8,
                    "Records a consumer could never apply, by channel and source topic; the counter appears at a"
                            + " channel's first dead letter (BulwarkDeadLettersWritten). ./bulwark dlq <service>"
                            + " lists them with their reasons.",
                    q(
                            "sum by (channel, topic) (bulwark_consumer_dead_letters_total{" + f + "})",
                            "{{channel}} ({{topic}})")));
        }
        return new Section("Kafka consumers", panels);
    }

    private static Section outbox(String f) {
        return new Section(
                "Outbox",
                List.of(
                        Panel.chart(
                                        "Oldest unpublished event",
                                        "s",
                                        8,
                                        "How long the oldest outbox row has waited for Kafka (0: none waits). Every"
                                                + " replica reads the same database. The line is where"
                                                + " BulwarkOutboxBackingUp fires.",
                                        q("max(bulwark_outbox_oldest_age_seconds{" + f + "})", "oldest"))
                                .badAbove(OUTBOX_ALERT_SECONDS),
                        Panel.chart(
                                "Events published, and relay rounds failed, per second",
                                "short",
                                8,
                                "Failed rounds are retried; their WARN log says why (BulwarkOutboxRelayFailing).",
                                q(
                                        "sum(rate(bulwark_outbox_published_total{" + f + "}[$__rate_interval]))",
                                        "published"),
                                q(
                                        "sum(rate(bulwark_outbox_failures_total{" + f + "}[$__rate_interval]))",
                                        "failed rounds")),
                        Panel.chart(
                                "Events parked since each replica started",
                                "short",
                                8,
                                "Events Kafka refused for good, moved to outbox_parked; later events of their keys"
                                        + " wait behind them (BulwarkOutboxEventsParked).",
                                q("sum by (instance) (bulwark_outbox_parked_total{" + f + "})", "{{instance}}")),
                        Panel.chart(
                                "Events waiting in the outbox",
                                "short",
                                8,
                                "Rows not yet published (counted at each scrape; every replica reads the same"
                                        + " database).",
                                q("max(bulwark_outbox_depth{" + f + "})", "waiting")),
                        Panel.chart(
                                "Events written, by type, per second",
                                "short",
                                8,
                                "Events committed to the outbox: what the service decided, by record type.",
                                q(
                                        "sum by (type) (rate(bulwark_events_written_total{" + f
                                                + "}[$__rate_interval]))",
                                        "{{type}}")),
                        Panel.chart(
                                "Consumed events the inbox remembers",
                                "short",
                                8,
                                "Rows of processed_event (PostgreSQL's estimate, refreshed by vacuum): the inbox"
                                        + " that makes redelivery harmless.",
                                q("max(bulwark_inbox_events{" + f + "})", "events"))));
    }

    private static Section groupCommits(String f) {
        return new Section(
                "Group commits",
                List.of(
                        Panel.chart(
                                "Check-ins waiting for a group commit",
                                "short",
                                12,
                                "Check-ins queued for the next group commit, for managed devices and for app"
                                        + " instances.",
                                q("sum by (subject) (bulwark_registry_check_ins_queued{" + f + "})", "{{subject}}")),
                        Panel.chart(
                                "Enrollments and registrations waiting for a group commit",
                                "short",
                                12,
                                "Device enrollments and app-instance registrations queued for the next group commit.",
                                q("sum by (subject) (bulwark_registry_joins_queued{" + f + "})", "{{subject}}"))));
    }

    private static Section remediation(String f) {
        return new Section(
                "Remediation",
                List.of(
                        Panel.chart(
                                "Remediation deadlines pending",
                                "short",
                                8,
                                "Deadlines running (read from the database the replicas share).",
                                q("max(bulwark_compliance_remediation_pending{" + f + "})", "pending")),
                        Panel.chart(
                                        "Most overdue pending deadline",
                                        "s",
                                        8,
                                        "0 when no pending deadline is past due. The line is where"
                                                + " BulwarkRemediationDeadlinesOverdue fires.",
                                        q("max(bulwark_compliance_remediation_overdue_seconds{" + f + "})", "overdue"))
                                .badAbove(OVERDUE_ALERT_SECONDS),
                        Panel.chart(
                                "Fixes judged too late, in the last hour",
                                "short",
                                8,
                                "Fixes reported in time that arrived after their deadline had fired"
                                        + " (BulwarkComplianceLateFixes).",
                                q("sum(increase(bulwark_compliance_late_fixes_total{" + f + "}[1h]))", "late")),
                        Panel.chart(
                                "Sign-outs decided, by reason, in the last hour",
                                "short",
                                12,
                                "SignOutRequired committed, by reason and management type.",
                                q(
                                        "sum by (reason, management) (increase(bulwark_compliance_signouts_total{" + f
                                                + "}[1h]))",
                                        "{{reason}} {{management}}")),
                        Panel.chart(
                                "From check-in to decision",
                                "s",
                                12,
                                "From a state report's occurredAt (the device's own time) to its verdict committed"
                                        + " here: p50 and p99 from the histogram (50 ms to 60 s).",
                                q(
                                        "histogram_quantile(0.5, sum by (management, le)"
                                                + " (rate(bulwark_compliance_decision_delay_seconds_bucket{" + f
                                                + "}[$__rate_interval])))",
                                        "{{management}} p50"),
                                q(
                                        "histogram_quantile(0.99, sum by (management, le)"
                                                + " (rate(bulwark_compliance_decision_delay_seconds_bucket{" + f
                                                + "}[$__rate_interval])))",
                                        "{{management}} p99"))));
    }

    private static Section signOuts(String f) {
        return new Section(
                "Sign-outs",
                List.of(
                        Panel.chart(
                                "Carried out per second, by reason and scope",
                                "short",
                                8,
                                "SignOutRequired events whose sessions were ended at the identity provider.",
                                q(
                                        "sum by (reason, scope) (rate(signouts_carried_out_total{" + f
                                                + "}[$__rate_interval]))",
                                        "{{reason}} ({{scope}})")),
                        Panel.chart(
                                "Sessions ended per second, by kind",
                                "short",
                                8,
                                "Online and offline sessions ended at the identity provider.",
                                q(
                                        "sum by (kind) (rate(signouts_sessions_ended_total{" + f
                                                + "}[$__rate_interval]))",
                                        "{{kind}}")),
                        Panel.chart(
                                "Skipped per second, by cause",
                                "short",
                                8,
                                "Events with nothing to end here: an unknown user, a tenant not served, a repeat.",
                                q(
                                        "sum by (cause) (rate(signouts_skipped_total{" + f + "}[$__rate_interval]))",
                                        "{{cause}}")),
                        Panel.chart(
                                "Identity provider failures per second",
                                "short",
                                8,
                                "Attempts the identity provider could not carry out now, retried with backoff (the"
                                        + " bridge is not ready meanwhile).",
                                q(
                                        "sum by (provider) (rate(signouts_provider_failures_total{" + f
                                                + "}[$__rate_interval]))",
                                        "{{provider}}")),
                        Panel.chart(
                                "Dead-lettered since each replica started, by cause",
                                "short",
                                8,
                                "Records sent to bulwark.signout-bridge.dlq.v1 (unreadable or refused); the counter"
                                        + " appears at the first one.",
                                q("sum by (cause) (signouts_dead_lettered_total{" + f + "})", "{{cause}}")),
                        Panel.chart(
                                "Records not yet carried out",
                                "short",
                                8,
                                "Records of bulwark.signout.v1 not yet carried out, per replica (over the partitions"
                                        + " it holds).",
                                q(
                                        "sum by (instance) (signout_bridge_consumer_lag_records{" + f + "})",
                                        "{{instance}}")),
                        Panel.chart(
                                "Delay from the event to its sessions ended",
                                "s",
                                24,
                                "From a SignOutRequired's occurredAt to its sessions ended: percentiles from the"
                                        + " histogram, and the slowest of the last minutes.",
                                q(
                                        "histogram_quantile(0.5, sum by (le) (rate(signout_bridge_delay_seconds_bucket{"
                                                + f + "}[$__rate_interval])))",
                                        "p50"),
                                q(
                                        "histogram_quantile(0.99, sum by (le)"
                                                + " (rate(signout_bridge_delay_seconds_bucket{" + f
                                                + "}[$__rate_interval])))",
                                        "p99"),
                                q(
                                        "sum(rate(signout_bridge_delay_seconds_sum{" + f + "}[$__rate_interval]))\n/\n"
                                                + "sum(rate(signout_bridge_delay_seconds_count{" + f
                                                + "}[$__rate_interval]))",
                                        "mean"),
                                q("max(signout_bridge_delay_seconds_max{" + f + "})", "max"))));
    }

    private static Section jvm(String f) {
        return new Section(
                "JVM",
                List.of(
                        Panel.chart(
                                "Heap used and maximum, per replica",
                                "bytes",
                                6,
                                "The heap's pools summed: used, and the most it may grow to.",
                                q(
                                        "sum by (instance) (jvm_memory_used_bytes{" + f + ", area=\"heap\"})",
                                        "used {{instance}}"),
                                q(
                                        "sum by (instance) (jvm_memory_max_bytes{" + f + ", area=\"heap\"})",
                                        "max {{instance}}")),
                        Panel.chart(
                                "CPU, per replica",
                                "percentunit",
                                6,
                                "The JVM process's share of the CPUs it may use.",
                                q("max by (instance) (process_cpu_usage{" + f + "})", "{{instance}}")),
                        Panel.chart(
                                "Time in garbage collection, per replica",
                                "percentunit",
                                6,
                                "The share of CPU time the JVM spent collecting garbage over the last five minutes"
                                        + " (Micrometer's jvm.gc.overhead: there from the start, unlike the pause"
                                        + " timer, which appears at the first collection).",
                                q("max by (instance) (jvm_gc_overhead{" + f + "})", "{{instance}}")),
                        Panel.chart(
                                "Live threads, per replica",
                                "short",
                                6,
                                "Platform threads alive in the JVM.",
                                q("sum by (instance) (jvm_threads_live_threads{" + f + "})", "{{instance}}"))));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Variables

    private static Map<String, Object> datasourceVariable() {
        Map<String, Object> variable = new LinkedHashMap<>();
        variable.put("name", DATASOURCE_VARIABLE);
        variable.put("label", "Prometheus");
        variable.put("type", "datasource");
        variable.put("query", "prometheus");
        variable.put("current", map("text", "Prometheus", "value", DATASOURCE_UID));
        variable.put("hide", 0);
        variable.put("includeAll", false);
        variable.put("multi", false);
        variable.put("options", List.of());
        variable.put("refresh", 1);
        variable.put("regex", "");
        return variable;
    }

    /** The overview's choice of processes; "All" is every process of {@link BulwarkService}, not every target. */
    private static Map<String, Object> serviceVariable() {
        String all = Arrays.stream(BulwarkService.values())
                .map(BulwarkService::moduleName)
                .collect(Collectors.joining("|"));
        return queryVariable("service", "Process", "label_values(up{service=~\"" + all + "\"}, service)", all);
    }

    private static Map<String, Object> instanceVariable(String name) {
        return queryVariable("instance", "Replica", "label_values(up{service=\"" + name + "\"}, instance)", ".*");
    }

    private static Map<String, Object> queryVariable(String name, String label, String query, String allValue) {
        Map<String, Object> variable = new LinkedHashMap<>();
        variable.put("name", name);
        variable.put("label", label);
        variable.put("type", "query");
        variable.put("datasource", datasource());
        variable.put("definition", query);
        variable.put("query", query);
        variable.put("current", map("text", "All", "value", "$__all"));
        variable.put("hide", 0);
        variable.put("includeAll", true);
        variable.put("allValue", allValue);
        variable.put("multi", true);
        variable.put("options", List.of());
        variable.put("refresh", 2);
        variable.put("regex", "");
        variable.put("sort", 1);
        return variable;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The model and its JSON

    private static Query q(String expr, String legend) {
        return new Query(expr, legend);
    }

    private static Map<String, Object> datasource() {
        return map("type", "prometheus", "uid", "${" + DATASOURCE_VARIABLE + "}");
    }

    private static String contents(List<Section> sections) {
        return sections.stream().map(Section::title).collect(Collectors.joining(", "));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** One PromQL query of a panel and the legend of its series. */
    record Query(String expr, String legend) {}

    /** A threshold step: from {@code value} on (null: from the bottom), the panel is drawn in {@code color}. */
    record Step(String color, Double value) {}

    /** A time series chart (8 units high) or a single-value stat (4 units high), {@code width} of 24 columns. */
    record Panel(
            String type,
            String title,
            String unit,
            int width,
            String description,
            List<Query> queries,
            List<Step> steps) {

        static Panel chart(String title, String unit, int width, String description, Query... queries) {
            return new Panel("timeseries", title, unit, width, description, List.of(queries), List.of());
        }

        static Panel stat(String title, String unit, int width, String description, Query... queries) {
            return new Panel("stat", title, unit, width, description, List.of(queries), List.of());
        }

        /** Red from {@code value} up (a chart draws the line there). */
        Panel badAbove(double value) {
            return withSteps(List.of(new Step("green", null), new Step("red", value)));
        }

        /** Red below {@code value}. */
        Panel goodFrom(double value) {
            return withSteps(List.of(new Step("red", null), new Step("green", value)));
        }

        private Panel withSteps(List<Step> steps) {
            return new Panel(type, title, unit, width, description, queries, steps);
        }

        int height() {
            return type.equals("stat") ? 4 : 8;
        }
    }

    /** A row of the dashboard and the panels under it. */
    record Section(String title, List<Panel> panels) {}

    /** One dashboard: its file name, uid, title, purpose, variables and sections. */
    record Dashboard(
            String file,
            String uid,
            String title,
            String purpose,
            List<Map<String, Object>> variables,
            List<Section> sections) {

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            // First, so that the file's first lines say it is generated (GeneratedFilesTest); Grafana shows it too.
            json.put(
                    "description",
                    purpose + " Metric names: deploy/grafana/exported-metrics.txt. GENERATED by"
                            + " dev.bulwark.deploy.manifests.GrafanaDashboards. Do not edit by hand (nor in Grafana:"
                            + " it is provisioned); regenerate: " + GeneratedFiles.REGENERATE_COMMAND);
            json.put("uid", uid);
            json.put("title", title);
            json.put("tags", List.of(TAG));
            json.put("editable", true);
            json.put("graphTooltip", 1);
            json.put("timezone", "browser");
            json.put("time", map("from", "now-3h", "to", "now"));
            json.put("refresh", "30s");
            json.put("schemaVersion", 39);
            json.put("version", 1);
            json.put(
                    "links",
                    List.of(map(
                            "title",
                            "Bulwark",
                            "type",
                            "dashboards",
                            "tags",
                            List.of(TAG),
                            "asDropdown",
                            true,
                            "includeVars",
                            false,
                            "keepTime",
                            true)));
            json.put("annotations", map("list", List.of()));
            json.put("templating", map("list", variables));
            json.put("panels", panels());
            return json;
        }

        /** Rows and panels, laid out left to right in 24 columns, a new line when the next panel does not fit. */
        private List<Map<String, Object>> panels() {
            List<Map<String, Object>> panels = new ArrayList<>();
            int id = 1;
            int y = 0;
            for (Section section : sections) {
                panels.add(map(
                        "id",
                        id++,
                        "type",
                        "row",
                        "title",
                        section.title(),
                        "collapsed",
                        false,
                        "gridPos",
                        gridPos(1, 24, 0, y),
                        "panels",
                        List.of()));
                y += 1;
                int x = 0;
                int lineHeight = 0;
                for (Panel panel : section.panels()) {
                    if (x + panel.width() > 24) {
                        y += lineHeight;
                        x = 0;
                        lineHeight = 0;
                    }
                    panels.add(panel(id++, panel, gridPos(panel.height(), panel.width(), x, y)));
                    x += panel.width();
                    lineHeight = Math.max(lineHeight, panel.height());
                }
                y += lineHeight;
            }
            return panels;
        }

        private static Map<String, Object> gridPos(int h, int w, int x, int y) {
            return map("h", h, "w", w, "x", x, "y", y);
        }

        private static Map<String, Object> panel(int id, Panel panel, Map<String, Object> gridPos) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("type", panel.type());
            json.put("title", panel.title());
            json.put("description", panel.description());
            json.put("datasource", datasource());
            json.put("gridPos", gridPos);
            json.put("fieldConfig", map("defaults", defaults(panel), "overrides", List.of()));
            json.put("options", options(panel));
            List<Map<String, Object>> targets = new ArrayList<>();
            char refId = 'A';
            for (Query query : panel.queries()) {
                targets.add(map(
                        "refId",
                        String.valueOf(refId++),
                        "datasource",
                        datasource(),
                        "expr",
                        query.expr(),
                        "legendFormat",
                        query.legend(),
                        "range",
                        true));
            }
            json.put("targets", targets);
            return json;
        }

        private static Map<String, Object> defaults(Panel panel) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("unit", panel.unit().isEmpty() ? "none" : panel.unit());
            defaults.put("min", 0);
            List<Step> steps = panel.steps().isEmpty() ? List.of(new Step("green", null)) : panel.steps();
            List<Map<String, Object>> stepJson = new ArrayList<>();
            for (Step step : steps) {
                stepJson.add(map("color", step.color(), "value", step.value()));
            }
            defaults.put("thresholds", map("mode", "absolute", "steps", stepJson));
            if (panel.type().equals("timeseries")) {
                defaults.put(
                        "custom",
                        map(
                                "drawStyle",
                                "line",
                                "lineWidth",
                                1,
                                "fillOpacity",
                                10,
                                "showPoints",
                                "never",
                                "spanNulls",
                                false,
                                "thresholdsStyle",
                                map("mode", panel.steps().isEmpty() ? "off" : "line")));
            } else {
                defaults.put("color", map("mode", "thresholds"));
            }
            return defaults;
        }

        private static Map<String, Object> options(Panel panel) {
            if (panel.type().equals("stat")) {
                return map(
                        "reduceOptions", map("calcs", List.of("lastNotNull"), "fields", "", "values", false),
                        "colorMode", "value",
                        "graphMode", "area",
                        "justifyMode", "auto",
                        "orientation", "auto",
                        "textMode", "auto");
            }
            return map(
                    "legend", map("displayMode", "list", "placement", "bottom", "showLegend", true),
                    "tooltip", map("mode", "multi", "sort", "desc"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Kubernetes

    private static final String KUSTOMIZATION_HEADER =
            """
            # Bulwark's Grafana dashboards as ConfigMaps for Grafana's dashboard sidecar (the grafana
            # Helm chart's sidecar.dashboards, as kube-prometheus-stack runs it, loads every ConfigMap
            # labelled grafana_dashboard: "1"), made from the JSON files compose's Grafana mounts
            # (dashboards/), so each dashboard is written once. k8s/base/kustomization.yaml includes
            # this folder.
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization

            generatorOptions:
              # Stable names: with a content hash in the name, kubectl apply would leave each
              # dashboard's previous ConfigMap behind, and the sidecar would load two dashboards with
              # one uid.
              disableNameSuffixHash: true
              labels:
                grafana_dashboard: "1"
              annotations:
                # The Grafana folder, for a sidecar told to read it
                # (sidecar.dashboards.folderAnnotation: grafana_folder).
                grafana_folder: Bulwark

            # The sidecar writes every ConfigMap's keys into one folder: the keys carry the bulwark-
            # prefix so that they cannot clash with another application's dashboards.
            configMapGenerator:
            """;

    /** A ConfigMap per dashboard, with the sidecar's label, generated from the JSON files themselves. */
    static String kustomization() {
        StringBuilder yaml = new StringBuilder(GeneratedFiles.stamp("#", "the dashboards GrafanaDashboards describes"))
                .append(KUSTOMIZATION_HEADER);
        for (Dashboard dashboard : dashboards()) {
            String base = dashboard.file().substring(0, dashboard.file().length() - ".json".length());
            yaml.append("  - name: bulwark-dashboard-")
                    .append(base)
                    .append("\n    files:\n      - bulwark-")
                    .append(dashboard.file())
                    .append("=dashboards/")
                    .append(dashboard.file())
                    .append('\n');
        }
        return yaml.toString();
    }
}
