package dev.bulwark.deploy.manifests;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A deployment file derived from the code's own catalogues (topics, services), with its place under the deploy module
 * folder. Generated rather than written by hand so that a new topic or service cannot be forgotten in one of the
 * places that must name it.
 *
 * @param path where the file lives, relative to the deploy module folder (e.g. {@code k8s/base/kafka-topics.yaml})
 * @param content the whole file, starting with its "generated, do not edit" stamp
 */
public record GeneratedFile(Path path, String content) {

    public GeneratedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (path.isAbsolute()) {
            throw new IllegalArgumentException("path must be relative to the deploy module, was " + path);
        }
    }
}
