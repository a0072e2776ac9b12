package dev.bulwark.registry.imports;

import dev.bulwark.kit.problem.Problem;
import java.util.List;

/**
 * An import refused because of one line: the status (400 for a line that is malformed, 422 for one that refers to
 * something the tenant does not have), the line number (1-based, blank lines counted) and the fields at fault. Thrown
 * before the import's transaction commits, so nothing of the import is written.
 */
public class ImportRejected extends RuntimeException {

    private final int status;
    private final long line;
    private final List<Problem.FieldError> errors;

    ImportRejected(int status, long line, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.line = line;
        this.errors = List.copyOf(errors);
    }

    static ImportRejected malformed(long line, List<Problem.FieldError> errors) {
        return new ImportRejected(400, line, describe(line, errors), errors);
    }

    static ImportRejected malformed(long line, String field, String message) {
        return malformed(line, List.of(new Problem.FieldError(field, message)));
    }

    static ImportRejected unprocessable(long line, String field, String message) {
        List<Problem.FieldError> errors = List.of(new Problem.FieldError(field, message));
        return new ImportRejected(422, line, describe(line, errors), errors);
    }

    private static String describe(long line, List<Problem.FieldError> errors) {
        StringBuilder detail = new StringBuilder("line ").append(line);
        for (Problem.FieldError error : errors) {
            detail.append(errors.size() == 1 ? ": " : "; ")
                    .append(error.field())
                    .append(": ")
                    .append(error.message());
        }
        return detail.append(". Nothing was imported.").toString();
    }

    public int status() {
        return status;
    }

    public long line() {
        return line;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
