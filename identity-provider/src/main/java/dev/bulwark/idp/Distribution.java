package dev.bulwark.idp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keycloak's distribution in a cache folder: the Maven-resolved zip unpacked once (into a temporary folder, then moved,
 * so a crash never leaves half a distribution), then built once for the given build options with {@code kc.sh build},
 * so every start can be {@code start --optimized}. A marker file records what it was built for; other options
 * rebuild it. A file lock keeps two JVMs from preparing the same folder at once.
 */
final class Distribution {

    static final String MARKER = ".bulwark-build";

    private Distribution() {}

    /** The distribution's home (the folder holding {@code bin/kc.sh}), unpacked and built for {@code buildOptions}. */
    static Path prepare(Path cacheDir, List<String> buildOptions, Duration buildTimeout) {
        Path zip = KeycloakServer.distributionZip();
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel lockFile = FileChannel.open(
                            cacheDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockFile.lock()) {
                Path home = unpacked(zip, cacheDir);
                String wanted = zip.getFileName() + " " + String.join(" ", buildOptions);
                Path marker = home.resolve(MARKER);
                if (!Files.exists(marker) || !Files.readString(marker).trim().equals(wanted)) {
                    build(home, buildOptions, buildTimeout, cacheDir.resolve("keycloak-build.log"));
                    Files.writeString(marker, wanted + "\n", StandardCharsets.UTF_8);
                }
                return home;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare Keycloak's distribution in " + cacheDir, e);
        }
    }

    /** {@code cacheDir/<the zip's top folder>}, unpacking the zip there unless it is there already. */
    private static Path unpacked(Path zip, Path cacheDir) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            String top = topFolder(archive);
            Path home = cacheDir.resolve(top);
            if (Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
                return home;
            }
            Path staging = Files.createTempDirectory(cacheDir, "unpacking-");
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (Stream<Path> scripts = Files.list(staging.resolve(top).resolve("bin"))) {
                for (Path script :
                        scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            deleteTree(home);
            Files.move(staging.resolve(top), home, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(staging);
            return home;
        }
    }

    private static String topFolder(ZipFile archive) throws IOException {
        Enumeration<? extends ZipEntry> entries = archive.entries();
        if (!entries.hasMoreElements()) {
            throw new IOException(archive.getName() + " is empty");
        }
        String first = entries.nextElement().getName();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new IOException(archive.getName() + " has no top folder (first entry " + first + ")");
        }
        return first.substring(0, slash);
    }

    private static void build(Path home, List<String> options, Duration timeout, Path log) throws IOException {
        List<String> command = new ArrayList<>(
                List.of("/bin/sh", home.resolve("bin").resolve("kc.sh").toString(), "build"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        KeycloakServer.environment(builder.environment());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("kc.sh build did not finish within " + timeout + "; see " + log + ":\n"
                        + KeycloakServer.tail(log));
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("kc.sh build failed with " + process.exitValue() + "; see " + log + ":\n"
                    + KeycloakServer.tail(log));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
