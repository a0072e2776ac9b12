package dev.bulwark.kit.problem;

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

    /** The words for a refusal the HTTP layer made on its own, by status. */
    static Refusal refusal(int status) {
        return switch (status) {
            case 400 -> new Refusal(400, "Bad request", "The request cannot be read (for example, an invalid"
                    + " percent-encoding in its path).");
            case 404 -> new Refusal(404, "Not found", "No resource at this path.");
            case 405 -> new Refusal(405, "Method not allowed", "This path does not take this method.");
            case 413 -> new Refusal(413, "Content too large", "The request body is over the size limit.");
            case 414 -> new Refusal(414, "URI too long", "The request line is over the size limit.");
            case 415 -> new Refusal(415, "Unsupported media type", "This content type is not accepted here.");
            case 431 -> new Refusal(431, "Request header fields too large", "The headers are over the size limit.");
            default -> new Refusal(status, "Request refused", "The request was refused by the HTTP layer.");
        };
    }
}
