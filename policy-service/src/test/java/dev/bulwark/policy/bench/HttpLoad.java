package dev.bulwark.policy.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load: {@code connections} keep-alive sockets, each on its own thread sending the next GET as
 * soon as the previous answer is read, for a fixed time, on 127.0.0.1 only. Records every request's latency; a non-200
 * answer counts as an error.
 */
final class HttpLoad {

    /** What one run measured. */
    record Result(
            String name, long requests, long errors, double seconds, long p50Micros, long p99Micros, long maxMicros) {
        double perSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format(
                    "%-22s %,9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%,d requests, %d errors, %.1f s)",
                    name,
                    perSecond(),
                    p50Micros / 1000.0,
                    p99Micros / 1000.0,
                    maxMicros / 1000.0,
                    requests,
                    errors,
                    seconds);
        }
    }

    private HttpLoad() {}

    /**
     * Drives {@code path} on 127.0.0.1:{@code port} for {@code seconds}; connection i sends {@code headers[i %
     * headers.length]} (e.g. its own bearer token).
     */
    static Result run(String name, int port, String path, List<String> headers, int connections, double seconds)
            throws InterruptedException {
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int id = c;
            String header = headers.isEmpty() ? "" : headers.get(c % headers.size());
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + header
                            + "Accept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Thread thread = new Thread(
                    () -> {
                        long[] mine = new long[1 << 14];
                        int n = 0;
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            socket.setTcpNoDelay(true);
                            socket.setSoTimeout(30_000);
                            OutputStream out = socket.getOutputStream();
                            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                            while (System.nanoTime() < end) {
                                long sent = System.nanoTime();
                                out.write(request);
                                out.flush();
                                if (readResponse(in) != 200) {
                                    errors.incrementAndGet();
                                }
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = (System.nanoTime() - sent) / 1000;
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        } finally {
                            latencies[id] = mine;
                            counts[id] = n;
                            done.countDown();
                        }
                    },
                    "load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int i = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, i, counts[c]);
            i += counts[c];
        }
        Arrays.sort(all);
        return new Result(
                name,
                total,
                errors.get(),
                elapsed,
                total == 0 ? 0 : all[(int) (total * 0.50)],
                total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))],
                total == 0 ? 0 : all[total - 1]);
    }

    /** Reads one response (status line, headers, a Content-Length body); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = header.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else {
            skip(in, length);
        }
        return code;
    }

    private static void skip(InputStream in, int bytes) throws IOException {
        int left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= (int) skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
