package dev.bulwark.kit.validation;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a NUL character in any path or query parameter of any resource, naming the parameter, before the resource
 * runs: PostgreSQL cannot compare or store 0x00, and an id is never expected to hold one.
 */
public class NulParameterFilter {

    @ServerRequestFilter
    public void refuseNul(UriInfo uri) {
        check(uri.getPathParameters(true));
        check(uri.getQueryParameters(true));
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (NulRefusingStrings.hasNul(parameter.getKey())) {
                throw ProblemException.badRequest("parameter name", NulRefusingStrings.MESSAGE);
            }
            for (String value : parameter.getValue()) {
                if (value != null && NulRefusingStrings.hasNul(value)) {
                    throw ProblemException.badRequest(parameter.getKey(), NulRefusingStrings.MESSAGE);
                }
            }
        }
    }
}
