package dev.bulwark.simulator;

import java.io.PrintStream;
import java.util.function.Supplier;

/** A live one-line status on stderr, rewritten in place with a carriage return twice a second. */
final class ProgressLine implements AutoCloseable {

    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;

    ProgressLine(PrintStream out, boolean enabled, Supplier<String> line) {
        this.out = out;
        this.thread = new Thread(
                () -> {
                    while (running) {
                        out.print("\r" + line.get() + "\u001b[K");
                        out.flush();
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "simulator-progress");
        thread.setDaemon(true);
        if (enabled) {
            thread.start();
        }
    }

    /** "[#####-----]  50%" for {@code done} of {@code total}. */
    static String bar(long done, long total, int width) {
        // done can be negative (a phase measured from a start still ahead) or past total: both clamp
        double f = total <= 0 ? 1 : Math.max(0, Math.min(1, (double) done / total));
        int filled = (int) Math.round(f * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format("%3d%%", (int) (f * 100));
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println();
        }
    }
}
