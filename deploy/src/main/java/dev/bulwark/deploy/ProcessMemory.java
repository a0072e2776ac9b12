package dev.bulwark.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a process's resident set size from {@code /proc}, so the stack can say how much memory each service uses. */
final class ProcessMemory {

    private ProcessMemory() {}

    static Optional<Long> residentKilobytes(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return Files.readAllLines(status).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .findFirst()
                    .map(ProcessMemory::kilobytes);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code VmRSS:   276512 kB} → 276512. */
    static long kilobytes(String vmRssLine) {
        String digits = vmRssLine.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("no number in " + vmRssLine);
        }
        return Long.parseLong(digits);
    }
}
