package dev.bulwark.kit.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON value refused while the body is read (for example a string with a NUL character), before any field is
 * checked. Jackson adds the path of the field to it, so the problem names the field without echoing the value. It is a
 * {@link MismatchedInputException} because Quarkus's JSON reader passes those on to the mappers as they are (others
 * become a bare 400).
 */
public class RefusedValueException extends MismatchedInputException {

    public RefusedValueException(JsonParser parser, String message) {
        super(parser, message, String.class);
    }
}
