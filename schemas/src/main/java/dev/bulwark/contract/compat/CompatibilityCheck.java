package dev.bulwark.contract.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * Decides whether the current event schemas may replace the last released ones: every released record must still
 * exist, the new schema must read what the old one wrote (backward) and the old schema must read what the new one
 * writes (forward). Both directions matter because producers and consumers are upgraded independently.
 */
public final class CompatibilityCheck {

    /** What kind of break a {@link Problem} is. */
    public enum Kind {
        /** A released record has no schema any more. */
        DELETED,
        /** A consumer on the new schema cannot read events written with the released one. */
        BACKWARD,
        /** A consumer still on the released schema cannot read events written with the new one. */
        FORWARD
    }

    /** One reason the change is not allowed. */
    public record Problem(String record, Kind kind, String detail) {
        @Override
        public String toString() {
            return record + " [" + kind + "] " + detail;
        }
    }

    private CompatibilityCheck() {}

    /**
     * Parses a schema folder laid out like {@code src/main/avro}: first every {@code types/*.avsc} (shared named types,
     * which must not reference each other), then every top-level {@code *.avsc} (one record each).
     *
     * @return the top-level records by full name
     */
    public static Map<String, Schema> loadRecords(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("no schema folder at " + folder.toAbsolutePath());
        }
        Schema.Parser parser = new Schema.Parser();
        Path types = folder.resolve("types");
        if (Files.isDirectory(types)) {
            for (Path file : avscFiles(types)) {
                parser.parse(file.toFile());
            }
        }
        Map<String, Schema> records = new TreeMap<>();
        for (Path file : avscFiles(folder)) {
            Schema schema = parser.parse(file.toFile());
            records.put(schema.getFullName(), schema);
        }
        return records;
    }

    /** Every problem with replacing the baseline records by the current ones; empty means the change is allowed. */
    public static List<Problem> compare(Map<String, Schema> baseline, Map<String, Schema> current) {
        List<Problem> problems = new ArrayList<>();
        baseline.forEach((name, released) -> {
            Schema now = current.get(name);
            if (now == null) {
                problems.add(new Problem(
                        name, Kind.DELETED, "released record has no schema any more; keep it (deprecate in its doc)"));
                return;
            }
            check(name, Kind.BACKWARD, now, released, problems);
            check(name, Kind.FORWARD, released, now, problems);
        });
        return List.copyOf(problems);
    }

    /** Compares two schema folders; see {@link #loadRecords(Path)} and {@link #compare(Map, Map)}. */
    public static List<Problem> compare(Path baselineFolder, Path currentFolder) throws IOException {
        return compare(loadRecords(baselineFolder), loadRecords(currentFolder));
    }

    private static void check(String name, Kind kind, Schema reader, Schema writer, List<Problem> problems) {
        SchemaCompatibilityResult result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add(new Problem(
                    name,
                    kind,
                    incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                            + incompatibility.getMessage()));
        }
    }

    private static List<Path> avscFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f ->
                            Files.isRegularFile(f) && f.getFileName().toString().endsWith(".avsc"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
