package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The tokenizer that finds the metric names of a PromQL expression, on the shapes the dashboards and alerts use. */
class PromQlMetricNamesTest {

    @Test
    void aBareSelectorAndOneWithLabelsAreMetricNamesButTheLabelsAreNot() {
        assertThat(PromQlMetricNames.in("up")).containsExactly("up");
        assertThat(PromQlMetricNames.in(
                        "up{service=~\"device-registry|gateway\", instance=~\"$instance\", job!=\"other_job\"} == 0"))
                .containsExactly("up");
    }

    @Test
    void aggregationsFunctionsAndTheirLabelListsAreNotMetricNames() {
        assertThat(PromQlMetricNames.in("sum by (service, instance) (rate(bulwark_outbox_failures_total[5m])) > 0"))
                .containsExactly("bulwark_outbox_failures_total");
        assertThat(PromQlMetricNames.in("max without (pod) (kafka_consumer_fetch_manager_records_lag_max) > 1000"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(PromQlMetricNames.in("sum(rate(a_total[$__rate_interval])) by (uri)"))
                .containsExactly("a_total");
        assertThat(PromQlMetricNames.in("topk(10, count_values(\"version\", build_info)) or vector(0)"))
                .containsExactly("build_info");
        assertThat(PromQlMetricNames.in("SUM BY (le) (x_bucket)")).containsExactly("x_bucket");
    }

    @Test
    void aHistogramQuantileReadsItsBucketsOnly() {
        assertThat(PromQlMetricNames.in("histogram_quantile(0.99, sum by (le) (rate(signout_bridge_delay_seconds_bucket"
                        + "{service=\"signout-bridge\"}[$__rate_interval])))"))
                .containsExactly("signout_bridge_delay_seconds_bucket");
    }

    @Test
    void bothSidesOfABinaryOperationWithVectorMatchingAreFound() {
        assertThat(PromQlMetricNames.in("sum by (instance) (jvm_memory_used_bytes{area=\"heap\"})\n/ on (instance)"
                        + " group_left(service)\nsum by (instance) (jvm_memory_max_bytes{area=\"heap\"})"))
                .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
        assertThat(PromQlMetricNames.in("a unless ignoring(instance) b and bool c"))
                .containsExactly("a", "b", "c");
    }

    @Test
    void offsetsDurationsSubqueriesNumbersAndModifiersAreNotMetricNames() {
        assertThat(PromQlMetricNames.in("sum by (service, channel, topic) ((increase(dead_total[15m]) > 0) or"
                        + " (dead_total unless dead_total offset 15m)) > 0"))
                .containsExactly("dead_total");
        assertThat(PromQlMetricNames.in("max_over_time(x[1h:5m]) @ end() - 1e3 * 0x1f + .5 + Inf + y offset -5m"))
                .containsExactly("x", "y");
    }

    @Test
    void stringsCommentsAndGrafanaVariablesAreSkipped() {
        assertThat(PromQlMetricNames.in(
                        "label_replace(up, \"dst\", \"not_a_metric\", \"src\", \"(.*)\") # comment_not_a_metric\n"
                                + "+ on() group_left x{a='it\\'s}'} + ${DS_PROMETHEUS} + $service"))
                .containsExactly("up", "x");
    }

    @Test
    void aNameMatcherNamesItsMetric() {
        assertThat(PromQlMetricNames.in("{__name__=\"bulwark_outbox_parked_total\", service=\"a\"}"))
                .containsExactly("bulwark_outbox_parked_total");
    }

    @Test
    void aVariableQueryReadsItsSelectorButNotItsLabel() {
        assertThat(PromQlMetricNames.inVariableQuery("label_values(up{service=\"device-registry\"}, instance)"))
                .containsExactly("up");
        assertThat(PromQlMetricNames.inVariableQuery("label_values(service)")).isEmpty();
        assertThat(PromQlMetricNames.inVariableQuery("query_result(topk(5, sum by (uri) (requests_total)))"))
                .containsExactly("requests_total");
    }

    @Test
    void brokenExpressionsAreRefusedRatherThanGuessedAt() {
        assertThatThrownBy(() -> PromQlMetricNames.in("rate(x{a=\"b}[5m])"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PromQlMetricNames.in("sum by (service (x)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no ')'");
    }
}
