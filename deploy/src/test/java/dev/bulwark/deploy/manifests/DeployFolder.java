package dev.bulwark.deploy.manifests;

import java.nio.file.Files;
import java.nio.file.Path;

/** The deploy module folder, where the compose file, the manifests and the scripts live. */
final class DeployFolder {

    private DeployFolder() {}

    static Path path() {
        // Surefire sets basedir; a run from an IDE usually starts in the module folder.
        Path folder = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (!Files.isRegularFile(folder.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("not the deploy module folder (no docker-compose.yml): " + folder);
        }
        return folder;
    }

    static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
