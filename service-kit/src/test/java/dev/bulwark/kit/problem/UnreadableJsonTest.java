package dev.bulwark.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the parser or the binding refuses (Quarkus REST hands it over wrapped in a bare 400) becomes a problem naming the
 * field where it stood.
 */
class UnreadableJsonTest {

    record Profile(String profileId, int version) {}

    record Report(String osVersion, List<Profile> configurationProfiles) {}

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aNumberTooLargeForItsTypeNamesTheField() {
        Response response = mappers.webApplication(
                wrapped("{\"osVersion\":\"14\",\"configurationProfiles\":[{\"profileId\":\"p\","
                        + "\"version\":100000000000000000000}]}"),
                null);
        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(problem.errors())
                .extracting(Problem.FieldError::field)
                .containsExactly("configurationProfiles[0].version");
    }

    @Test
    void jsonCutShortAtTheTopIsMalformedWithoutAField() {
        Response response = mappers.webApplication(wrapped("{"), null);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.title()).isEqualTo("Malformed JSON");
        assertThat(problem.status()).isEqualTo(400);
    }

    /** As Quarkus REST's JSON reader throws it. */
    private static WebApplicationException wrapped(String json) {
        JsonProcessingException cause = catchThrowableOfType(
                JsonProcessingException.class, () -> new ObjectMapper().readValue(json, Report.class));
        assertThat(cause).as("the parser refuses " + json).isNotNull();
        return new WebApplicationException(cause, Response.Status.BAD_REQUEST);
    }
}
