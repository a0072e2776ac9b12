package dev.bulwark.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    private final Mutation oversizeName = OpenApiFuzzer.plan(Documents.shop(), Documents.target()).stream()
            .filter(m -> m.kind() == MutationKind.OVERSIZE_STRING && m.field().equals("name"))
            .findFirst()
            .orElseThrow();

    @Test
    void aProblemWithStatusTitleAndTheFieldIsAProperRefusal() {
        assertThat(
                        Verdicts.judge(
                                oversizeName,
                                problem(
                                        400,
                                        """
                        {"title": "Invalid request", "status": 400,
                         "errors": [{"field": "name", "message": "size must be between 0 and 10"}]}""")))
                .isEmpty();
    }

    @Test
    void anAcceptanceAServerErrorAndNoAnswerAreFindings() {
        assertThat(Verdicts.judge(oversizeName, answer(201, "application/json", "{}")))
                .containsExactly("accepted an invalid request");
        assertThat(Verdicts.judge(oversizeName, problem(500, "{\"title\": \"Internal error\", \"status\": 500}")))
                .containsExactly("server error");
        assertThat(Verdicts.judge(
                        oversizeName,
                        new SocketHttp.Response(-1, Map.of(), new byte[0], Optional.of("connection reset"))))
                .containsExactly("no HTTP answer (connection reset)");
    }

    @Test
    void aRefusalThatIsNotAProblemOrDoesNotNameTheFieldIsAFinding() {
        assertThat(Verdicts.judge(oversizeName, answer(400, "", "")))
                .containsExactly("Content-Type is '', not application/problem+json");
        assertThat(Verdicts.judge(oversizeName, problem(400, "{\"title\": \"Invalid request\", \"status\": 400}")))
                .singleElement()
                .asString()
                .startsWith("errors do not name name");
        assertThat(Verdicts.judge(oversizeName, problem(400, "{\"status\": 413}")))
                .contains("the problem's status is 413, not 400", "the problem has no title");
    }

    @Test
    void anErrorNamingTheFieldsParentOrChildNamesIt() {
        var errors = OpenApiDocument.JSON.createArrayNode();
        errors.addObject().put("field", "targets");
        assertThat(Verdicts.namesField(errors, "targets[0].groupId")).isTrue();
        assertThat(Verdicts.namesField(errors, "targetsX")).isFalse();
        errors.removeAll();
        errors.addObject().put("field", "appIds[0].<list element>");
        assertThat(Verdicts.namesField(errors, "appIds[0]")).isTrue();
    }

    private static SocketHttp.Response problem(int status, String body) {
        return answer(status, "application/problem+json", body);
    }

    private static SocketHttp.Response answer(int status, String contentType, String body) {
        return new SocketHttp.Response(
                status,
                contentType.isEmpty() ? Map.of() : Map.of("content-type", contentType),
                body.getBytes(StandardCharsets.UTF_8),
                Optional.empty());
    }

    @SuppressWarnings("unused")
    private static List<String> none() {
        return List.of();
    }
}
