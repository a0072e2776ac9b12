package dev.bulwark.rules;

/**
 * A text that is not a {@link Version}; the message names the rule it breaks in words fit for a problem+json field
 * error ("has 5 number groups, at most 4 …, was '10.0.19045.1.2'").
 */
public final class VersionFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public VersionFormatException(String message) {
        super(message);
    }
}
