package dev.bulwark.compliance.flow;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The baseline with automated remediation on and a deadline short enough to watch it pass; the deadline job pages
 * through due deadlines five at a time, so a handful of subjects is already a backlog of several pages.
 */
public class RemediationEnabledProfile implements QuarkusTestProfile {

    static final String DEADLINE = "PT2S";

    static final int DEADLINE_PAGE = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "bulwark.compliance.baseline.remediation-enabled",
                "true",
                "bulwark.compliance.baseline.remediation-deadline",
                DEADLINE,
                "bulwark.compliance.remediation.poll-interval",
                "0.5s",
                "bulwark.compliance.remediation.batch-size",
                String.valueOf(DEADLINE_PAGE));
    }
}
