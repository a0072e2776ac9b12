package dev.bulwark.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The {@code .avsc} files as published in {@code src/main/avro}, parsed the way an outside consumer would: a plain
 * {@link Schema.Parser}, shared types first. Nothing of this module's code is involved.
 */
final class PublishedSchemas {

    static final Path FOLDER = Path.of("src/main/avro");

    private PublishedSchemas() {}

    /** The top-level records by simple name (= file name without {@code .avsc}). */
    static Map<String, Schema> records() {
        Schema.Parser parser = new Schema.Parser();
        avscFiles(FOLDER.resolve("types")).forEach(f -> parse(parser, f));
        Map<String, Schema> records = new TreeMap<>();
        for (Path file : avscFiles(FOLDER)) {
            records.put(baseName(file), parse(parser, file));
        }
        return records;
    }

    static List<Path> avscFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".avsc"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".avsc".length());
    }

    private static Schema parse(Schema.Parser parser, Path file) {
        try {
            return parser.parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
