package dev.bulwark.registry.imports;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a newline-delimited JSON body one line at a time, straight from the request stream, so an import of any size
 * holds one line in memory. Lines are split on the newline byte (never part of a multi-byte UTF-8 character) and then
 * decoded, so a line longer than the limit or bytes that are not UTF-8 refuse the import at exactly that line instead
 * of being buffered or silently replaced.
 */
final class NdjsonLines {

    /** One line of the body and its 1-based number. */
    record Line(long number, String text) {}

    private final InputStream body;
    private final int maxLineBytes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long number;
    private boolean finished;

    NdjsonLines(InputStream body, int maxLineBytes) {
        this.body = new BufferedInputStream(body, 64 * 1024);
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line that is not blank, or empty at the end of the body. */
    Optional<Line> next() throws IOException {
        while (!finished) {
            number++;
            finished = !readLine();
            String text = decode();
            if (!text.isBlank()) {
                return Optional.of(new Line(number, text));
            }
        }
        return Optional.empty();
    }

    /** Reads up to the next newline into {@code current}, without it; false at the end of the body. */
    private boolean readLine() throws IOException {
        current.reset();
        while (true) {
            int b = body.read();
            if (b == -1) {
                return false;
            }
            if (b == '\n') {
                return true;
            }
            if (current.size() == maxLineBytes) {
                throw ImportRejected.malformed(number, "body", "the line is longer than " + maxLineBytes + " bytes");
            }
            current.write(b);
        }
    }

    private String decode() {
        byte[] bytes = current.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw ImportRejected.malformed(number, "body", "is not valid UTF-8");
        }
    }
}
