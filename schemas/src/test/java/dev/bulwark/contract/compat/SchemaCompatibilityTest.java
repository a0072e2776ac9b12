package dev.bulwark.contract.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.compat.CompatibilityCheck.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a schema in {@code src/main/avro} is not backward and forward compatible with the last
 * released one in {@code src/compat-baseline}, or a released record was deleted. See the README for how to bump the
 * baseline on release.
 */
class SchemaCompatibilityTest {

    private static final Path BASELINE = Path.of("src/compat-baseline");
    private static final Path CURRENT = Path.of("src/main/avro");

    @Test
    void everyReleasedSchemaIsStillBackwardAndForwardCompatible() throws Exception {
        List<Problem> problems = CompatibilityCheck.compare(BASELINE, CURRENT);

        assertThat(problems)
                .as(
                        """
                        schema changes that break consumers or producers on the released version.
                        Add fields with a default, never remove or rename one (add an alias and keep the old field),
                        add enum symbols only to enums with a default. See schemas/README.md""")
                .isEmpty();
    }

    @Test
    void theBaselineIsNotEmpty() throws Exception {
        Map<String, Schema> baseline = CompatibilityCheck.loadRecords(BASELINE);

        // An empty or misplaced baseline would make the check above pass vacuously.
        assertThat(baseline).hasSizeGreaterThanOrEqualTo(17);
        assertThat(baseline).containsKeys("dev.bulwark.events.DeviceEnrolled", "dev.bulwark.events.SignOutRequired");
    }
}
