package dev.bulwark.registry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.registry.groups.GroupType;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

class ImportParserTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private final ImportParser parser = new ImportParser(new ObjectMapper(), VALIDATOR);

    private static List<NdjsonLines.Line> lines(byte[] body, int maxLength) throws IOException {
        NdjsonLines lines = new NdjsonLines(new ByteArrayInputStream(body), maxLength);
        List<NdjsonLines.Line> all = new ArrayList<>();
        Optional<NdjsonLines.Line> line;
        while ((line = lines.next()).isPresent()) {
            all.add(line.get());
        }
        return all;
    }

    @Test
    void eachTypeOfLineBecomesItsRecord() {
        assertThat(parser.parse(1, "{\"type\":\"user\",\"userId\":\"a\",\"displayName\":\"A\",\"licensed\":true}"))
                .isEqualTo(new ImportLine.UserLine("a", "A", null, true, null));
        assertThat(parser.parse(2, "{\"type\":\"group\",\"groupId\":\"g\",\"name\":\"G\",\"kind\":\"DEVICE\"}"))
                .isEqualTo(new ImportLine.GroupLine("g", "G", GroupType.DEVICE));
        assertThat(parser.parse(3, "{\"memberId\":\"a\",\"groupId\":\"g\",\"type\":\"membership\"}"))
                .isEqualTo(new ImportLine.MembershipLine("g", "a"));
    }

    @Test
    void aRuleBrokenOnALineNamesTheLineAndEveryFieldAtFault() {
        assertThatThrownBy(() -> parser.parse(12, "{\"type\":\"user\",\"userId\":\"a b\",\"sku\":\"lower\"}"))
                .isInstanceOfSatisfying(ImportRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.line()).isEqualTo(12);
                    assertThat(e.errors())
                            .extracting(error -> error.field())
                            .containsExactly("displayName", "sku", "userId");
                    assertThat(e.getMessage()).startsWith("line 12; ");
                });
        assertThatThrownBy(() -> parser.parse(4, "[]"))
                .isInstanceOfSatisfying(
                        ImportRejected.class, e -> assertThat(e.line()).isEqualTo(4));
        assertThatThrownBy(() -> parser.parse(5, "null")).isInstanceOfSatisfying(ImportRejected.class, e -> assertThat(
                        e.errors().get(0).field())
                .isEqualTo("body"));
    }

    @Test
    void linesAreNumberedFromOneCountingBlankOnesAndLoseTheirCarriageReturn() throws IOException {
        byte[] body = "a\r\n\n  \nb\nc".getBytes(StandardCharsets.UTF_8);
        assertThat(lines(body, 100))
                .containsExactly(
                        new NdjsonLines.Line(1, "a"), new NdjsonLines.Line(4, "b"), new NdjsonLines.Line(5, "c"));
        assertThat(lines(new byte[0], 100)).isEmpty();
        assertThat(lines("é\n".getBytes(StandardCharsets.UTF_8), 2)).containsExactly(new NdjsonLines.Line(1, "é"));
    }

    @Test
    void aTooLongLineOrBytesThatAreNotUtf8AreRefusedAtTheirLine() {
        assertThatThrownBy(() -> lines("ok\n0123456789\n".getBytes(StandardCharsets.UTF_8), 5))
                .isInstanceOfSatisfying(
                        ImportRejected.class, e -> assertThat(e.line()).isEqualTo(2));
        byte[] latin1 = "ok\nok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> lines(latin1, 100)).isInstanceOfSatisfying(ImportRejected.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.errors().get(0).message()).contains("UTF-8");
        });
    }
}
