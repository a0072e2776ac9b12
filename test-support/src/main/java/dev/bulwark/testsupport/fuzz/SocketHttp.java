package dev.bulwark.testsupport.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fuzzer's HTTP/1.1 client over a plain socket, one connection per request, with bodies (test-support's {@code
 * RawHttp} sends heads only). Ordinary clients refuse to send what the fuzzer must: a request target with broken
 * percent-encoding, a raw {@code ..} segment they would normalise away, a body that does not match its content type.
 */
final class SocketHttp {

    private static final int TIMEOUT_MILLIS = 30_000;

    private SocketHttp() {}

    /** What to send: {@code target} is the raw request target (path and query), sent byte for byte. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {}

    /**
     * What came back. {@code status} is -1 when the server closed the connection without an HTTP answer; {@code
     * failure} then says how.
     */
    record Response(int status, Map<String, String> headers, byte[] body, Optional<String> failure) {

        /** A header's value (names compared without case). */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Response send(URI base, Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            head.append("Host: ")
                    .append(base.getHost())
                    .append(':')
                    .append(base.getPort())
                    .append("\r\n");
            head.append("Accept: */*\r\n");
            head.append("Connection: close\r\n");
            request.headers()
                    .forEach((name, value) ->
                            head.append(name).append(": ").append(value).append("\r\n"));
            if (request.body().length > 0 || !request.method().equals("GET")) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            String writeFailure = null;
            try {
                // Latin-1 so that a NUL or a byte above 127 in the target goes out as that one byte.
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(request.body());
                out.flush();
            } catch (IOException e) {
                // A server may answer (413, 414) and close before it has read everything; read what it said.
                writeFailure = "connection closed while sending: " + e.getMessage();
            }
            byte[] raw = readAll(socket.getInputStream());
            if (raw.length == 0) {
                return new Response(
                        -1,
                        Map.of(),
                        raw,
                        Optional.of(writeFailure != null ? writeFailure : "connection closed without an answer"));
            }
            return parse(raw);
        } catch (IOException e) {
            return new Response(-1, Map.of(), new byte[0], Optional.of(e.toString()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                all.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // A reset after a complete answer still leaves the answer; an empty read is judged by the caller.
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    private static Response parse(byte[] raw) {
        int headEnd = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'});
        if (headEnd < 0) {
            return new Response(-1, Map.of(), raw, Optional.of("an answer without a complete header"));
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return new Response(-1, Map.of(), raw, Optional.of("not an HTTP status line: " + lines[0]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (length < body.length) {
                body = java.util.Arrays.copyOf(body, length);
            }
        }
        return new Response(status, headers, body, Optional.empty());
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < chunked.length) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, position);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(chunked, start, Math.min(size, chunked.length - start));
            position = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
