package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kustomize overlay as {@code kubectl kustomize} renders it, every object parsed strictly. Rendered once per
 * overlay and test run.
 */
final class RenderedOverlay {

    /** A rendered object: its raw form and what {@link StrictKubernetes#parse} made of it. */
    record RenderedObject(String kind, String name, Map<String, Object> raw, Object typed) {}

    private static final Map<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();
    private static volatile Boolean kubectlWorks;

    private final String overlay;
    private final List<RenderedObject> objects;

    private RenderedOverlay(String overlay, List<RenderedObject> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    /**
     * Renders {@code k8s/overlays/<overlay>}; skips the calling test (with the reason) where kubectl is missing, and
     * fails it under CI ({@code CI=true}).
     */
    static RenderedOverlay of(String overlay) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(kubectlAvailable())
                    .as("kubectl is not on the PATH: under CI=true the kustomize overlays must be rendered and checked")
                    .isTrue();
        }
        assumeThat(kubectlAvailable())
                .as("kubectl is not on the PATH: the kustomize overlays cannot be rendered, so their checks are skipped"
                        + " (install kubectl, which has kustomize built in, to run them)")
                .isTrue();
        return CACHE.computeIfAbsent(overlay, RenderedOverlay::render);
    }

    static String renderYaml(String overlay) {
        Path folder = DeployFolder.resolve("k8s/overlays/" + overlay);
        Processes.Result result =
                Processes.run(DeployFolder.path(), Map.of(), List.of("kubectl", "kustomize", folder.toString()));
        assertThat(result.exitCode())
                .as("kubectl kustomize %s failed:%n%s", folder, result.stderr())
                .isZero();
        return result.stdout();
    }

    private static RenderedOverlay render(String overlay) {
        List<RenderedObject> objects = YamlDocuments.all(renderYaml(overlay)).stream()
                .map(raw -> new RenderedObject(
                        String.valueOf(raw.get("kind")),
                        String.valueOf(YamlDocuments.map(raw, "metadata").get("name")),
                        raw,
                        StrictKubernetes.parse(raw)))
                .toList();
        return new RenderedOverlay(overlay, objects);
    }

    private static boolean kubectlAvailable() {
        if (kubectlWorks == null) {
            kubectlWorks = Processes.works(List.of("kubectl", "version", "--client"));
        }
        return kubectlWorks;
    }

    String name() {
        return overlay;
    }

    List<RenderedObject> objects() {
        return objects;
    }

    /** Every object of a built-in kind, as its typed model (e.g. {@code V1Deployment}). */
    <T> List<T> all(Class<T> type) {
        return objects.stream()
                .map(RenderedObject::typed)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** The object of this kind and name, as its typed model. */
    <T> T one(Class<T> type, String kind, String name) {
        List<T> found = objects.stream()
                .filter(o -> o.kind().equals(kind) && o.name().equals(name))
                .map(RenderedObject::typed)
                .map(type::cast)
                .toList();
        assertThat(found).as("%s/%s in overlay %s", kind, name, overlay).hasSize(1);
        return found.get(0);
    }

    /** The raw maps of every custom resource of a kind. */
    List<Map<String, Object>> raw(String kind) {
        return objects.stream()
                .filter(o -> o.kind().equals(kind))
                .map(RenderedObject::raw)
                .toList();
    }
}
