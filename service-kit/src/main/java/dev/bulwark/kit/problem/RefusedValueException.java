package dev.bulwark.kit.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON value refused while the body is read (for example a string with a NUL character), before any field is
 * checked. Jackson adds the path of the field to it, so the problem names the field without echoing the value.
 */
public class RefusedValueException extends JsonMappingException {

    public RefusedValueException(JsonParser parser, String message) {
        super(parser, message);
    }
}
