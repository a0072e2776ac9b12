package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The image names deploy/docker/build-images.sh tags, asked of the script itself (with no BULWARK_* overrides). */
final class BuildScriptImages {

    private static List<String> images;

    private BuildScriptImages() {}

    static synchronized List<String> defined() {
        if (images == null) {
            Processes.Result result = Processes.run(
                    DeployFolder.path(), Map.of(), List.of("bash", "docker/build-images.sh", "--print-images"));
            assertThat(result.exitCode())
                    .as("build-images.sh --print-images failed: %s", result.stderr())
                    .isZero();
            images = Arrays.stream(result.stdout().split("\n"))
                    .map(String::trim)
                    .filter(line -> !line.isEmpty())
                    .toList();
        }
        return images;
    }

    /** The version the build gives the images: the project's, as Surefire passes it. */
    static String projectVersion() {
        String version = System.getProperty("bulwark.project.version");
        assertThat(version)
                .as("system property bulwark.project.version (set by deploy/pom.xml)")
                .isNotBlank();
        return version;
    }
}
