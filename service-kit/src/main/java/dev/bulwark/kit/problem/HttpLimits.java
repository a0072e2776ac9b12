package dev.bulwark.kit.problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Whether a request's head stays within the service's limits, and the problem to answer when it does not. Pure, so the
 * limits are tested without a server; {@link HttpRefusals} applies them to every request.
 */
record HttpLimits(long maxBodyBytes, int maxRequestLine, long maxHeaderBytes) {

    /** The status, title and words a refusal carries. */
    record Refusal(int status, String title, String detail) {}

    /** The first limit the request breaks, judged on its head only (the body is never read for this). */
    Optional<Refusal> judge(int requestLineLength, long headerBytes, String contentLength) {
        if (requestLineLength > maxRequestLine) {
            return Optional.of(new Refusal(
                    414,
                    "URI too long",
                    "The request line is " + requestLineLength + " characters; at most " + maxRequestLine
                            + " are accepted."));
        }
        if (headerBytes > maxHeaderBytes) {
            return Optional.of(new Refusal(
                    431,
                    "Request header fields too large",
                    "The request's headers take " + headerBytes + " bytes; at most " + maxHeaderBytes
                            + " are accepted."));
        }
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                return Optional.of(new Refusal(400, "Bad request", "The Content-Length header is not a number."));
            }
            if (length > maxBodyBytes) {
                return Optional.of(new Refusal(
                        413,
                        "Content too large",
                        "The request body is " + length + " bytes; at most " + maxBodyBytes + " are accepted."));
            }
        }
        return Optional.empty();
    }

    /**
     * A request target (path and query, as sent) that is no valid URI — above all a {@code %} not followed by two hex
     * digits — is refused with 400 before any route decodes it. (Quarkus's root handler used to refuse these with an
     * empty 400; {@link UriValidationHandover} hands the check to this rule.)
     */
    static Optional<Refusal> judgeTarget(String target) {
        try {
            new URI(target);
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(new Refusal(
                    400,
                    "Invalid request target",
                    "The path or query is not a valid URI (" + e.getReason() + " at index " + e.getIndex()
                            + "). Percent-encode reserved characters; a '%' itself is written %25."));
        }
    }
}
