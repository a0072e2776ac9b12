package dev.bulwark.kit.problem;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Hands the check of the request target (path and query) from Quarkus's HTTP root handler to {@link HttpRefusals}.
 * The root handler refuses a target {@link java.net.URI} cannot parse (a {@code %} not followed by two hex digits) with
 * a bare 400 before any route runs, and offers no hook; its only switch is the system property
 * {@code vertx.disableURIValidation}, read once when Quarkus's HTTP recorder class initialises. Configuration is built
 * before any recorder runs, in tests and in the packaged service alike, so this customizer (registered through
 * {@code META-INF/services}) sets the property then — unless the JVM was started with it — and {@link HttpRefusals}
 * refuses the same targets with a problem+json body. {@code HttpRefusalsTest} and every service's fuzz test fail if
 * the hand-over does not happen.
 */
public class UriValidationHandover implements SmallRyeConfigBuilderCustomizer {

    static final String PROPERTY = "vertx.disableURIValidation";

    static {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        // nothing to configure: loading this class is what sets the property
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }
}
