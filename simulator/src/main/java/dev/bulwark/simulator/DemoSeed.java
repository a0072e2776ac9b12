package dev.bulwark.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seeds a demo tenant the way an admin following the seeds' story would — people, groups, licences, apps and their
 * assignments, a level-2 app protection policy ("apply minimum data protection" first), a device compliance policy —
 * and then runs a small simulated fleet in it, so a newcomer sees enrollment, PIN set-up, remediation and sign-out
 * happen within the first minute. Takes the simulator's options; its defaults make a small, quick fleet.
 */
public final class DemoSeed {

    /** The demo's defaults; any option given on the command line wins (the last value of an option counts). */
    static final List<String> DEFAULTS = List.of(
            "--tenant",
            "demo",
            "--devices",
            "12",
            "--apps",
            "12",
            "--users",
            "20",
            "--rate",
            "4",
            "--duration",
            "40s",
            "--drain",
            "45s",
            "--non-compliant-share",
            "0.3",
            "--remediation-success",
            "0.5",
            "--remediation-deadline",
            "20s",
            "--no-policy");

    static final String FEED =
            """
            {"type":"group","groupId":"sales","name":"Sales","kind":"USER"}
            {"type":"group","groupId":"contractors","name":"Contractors","kind":"USER"}
            {"type":"user","userId":"alice","displayName":"Alice Archer","email":"alice@contoso.example","licensed":true}
            {"type":"user","userId":"bob","displayName":"Bob Baker","email":"bob@contoso.example","licensed":true}
            {"type":"user","userId":"carol","displayName":"Carol Chen","email":"carol@contoso.example","licensed":true}
            {"type":"user","userId":"dave","displayName":"Dave Dunn (no licence)","email":"dave@contoso.example"}
            {"type":"user","userId":"erin","displayName":"Erin Evans (contractor)","email":"erin@contoso.example","licensed":true}
            {"type":"membership","groupId":"sales","memberId":"alice"}
            {"type":"membership","groupId":"sales","memberId":"bob"}
            {"type":"membership","groupId":"sales","memberId":"dave"}
            {"type":"membership","groupId":"contractors","memberId":"erin"}
            """;

    private DemoSeed() {}

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(DEFAULTS);
        all.addAll(List.of(args));
        System.exit(Simulator.cli(all, "demo", DemoSeed::seed));
    }

    /**
     * The demo inside another program — {@code ./bulwark up --demo} runs it in the launcher's JVM once the stack is
     * ready: seeds the tenant, then runs the fleet until {@link #stop()} (or the fleet's duration) and returns its
     * summary. One instance is one run.
     */
    public static final class InProcess {

        private final List<String> args;
        private volatile Simulator simulator;
        private volatile boolean stopped;

        /** {@code args}: simulator options on top of the demo's defaults (later ones win). */
        public InProcess(List<String> args) {
            List<String> all = new ArrayList<>(DEFAULTS);
            all.addAll(args);
            this.args = List.copyOf(all);
            OptionsParser.parse(this.args); // refuse bad options before the stack is started, not after
        }

        /** The options the run will use: the demo's defaults with the given ones on top. */
        public SimulatorOptions options() {
            return OptionsParser.parse(args);
        }

        /**
         * Seeds, runs the fleet and returns its summary; empty when stopped before the fleet started.
         *
         * @throws IllegalStateException when seeding or the fleet's set-up fails (the message says which call)
         */
        public java.util.Optional<Summary> run() throws InterruptedException {
            SimulatorOptions options = OptionsParser.parse(args);
            seed(options);
            Simulator fleet = new Simulator(options, "up --demo " + String.join(" ", args));
            simulator = fleet;
            if (stopped) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(fleet.run());
        }

        /** Ends the fleet soon; {@link #run()} then returns the summary of what happened so far. */
        public void stop() {
            stopped = true;
            Simulator fleet = simulator;
            if (fleet != null) {
                fleet.requestStop();
            }
        }
    }

    static void seed(SimulatorOptions o) throws InterruptedException {
        String tenant = o.tenant().orElse("demo");
        Rest rest = new Rest();
        String admin = new Tokens(o.keysDir(), o.issuer()).admin(tenant);
        System.err.println("demo: seeding tenant '" + tenant + "'");
        expect(
                "directory import",
                rest.postRaw(
                        o.registry(),
                        "/api/v1/imports",
                        admin,
                        "application/x-ndjson",
                        FEED.getBytes(StandardCharsets.UTF_8),
                        Duration.ofMinutes(1)));
        for (String app : FleetGenerator.PROTECTED_APPS) {
            for (String platform : List.of("ANDROID", "IOS")) {
                String appId = platform.equals("ANDROID") ? app : app + ".ios";
                expect(
                        "app " + appId,
                        rest.post(
                                o.assignment(),
                                "/api/v1/apps",
                                admin,
                                Map.of(
                                        "appId",
                                        appId,
                                        "name",
                                        name(app) + " (" + platform + ")",
                                        "platform",
                                        platform,
                                        "publisher",
                                        "Contoso",
                                        "storeRef",
                                        appId,
                                        "protectedApp",
                                        true,
                                        "version",
                                        "5.0.0")));
            }
        }
        // Mail is Required for every licensed user (managed devices get it installed), Teams is Available to Sales.
        expect(
                "Mail required",
                rest.post(
                        o.assignment(),
                        "/api/v1/apps/com.contoso.mail/assignments",
                        admin,
                        Map.of("intent", "REQUIRED", "targets", List.of(Map.of("kind", "ALL_LICENSED_USERS")))));
        expect(
                "Teams available to Sales",
                rest.post(
                        o.assignment(),
                        "/api/v1/apps/com.contoso.teams/assignments",
                        admin,
                        Map.of(
                                "intent",
                                "AVAILABLE",
                                "targets",
                                List.of(Map.of("kind", "USER_GROUP", "groupId", "sales")))));
        awaitGroupsKnown(rest, o, admin);
        List<String> existing = new ArrayList<>(names(rest, o, admin, "/api/v1/app-protection-policies"));
        existing.addAll(names(rest, o, admin, "/api/v1/compliance-policies"));
        for (String platform : List.of("ANDROID", "IOS")) {
            if (existing.contains("Enhanced data protection (level 2), " + platform)) {
                System.err.println("demo:   level-2 app protection policy " + platform + " (already there)");
                continue;
            }
            List<String> appIds = FleetGenerator.PROTECTED_APPS.stream()
                    .map(a -> platform.equals("ANDROID") ? a : a + ".ios")
                    .toList();
            List<String> all = new ArrayList<>(FleetGenerator.PROTECTED_APPS);
            if (platform.equals("IOS")) {
                all.addAll(appIds);
            }
            expect(
                    "level-2 app protection policy " + platform,
                    rest.post(
                            o.policy(),
                            "/api/v1/app-protection-policies",
                            admin,
                            Map.of(
                                    "name",
                                    "Enhanced data protection (level 2), " + platform,
                                    "platform",
                                    platform,
                                    "appIds",
                                    all,
                                    "templateId",
                                    "level-2-enhanced",
                                    "settings",
                                    Map.of(
                                            "remediationDeadline",
                                            o.remediationDeadline().toString()),
                                    "targets",
                                    List.of(
                                            Map.of("kind", "ALL_USERS"),
                                            Map.of(
                                                    "kind",
                                                    "USER_GROUP",
                                                    "groupId",
                                                    "contractors",
                                                    "excluded",
                                                    true)))));
        }
        for (Map.Entry<String, String> minimum :
                Map.of("ANDROID", "14", "IOS", "17").entrySet()) {
            if (existing.contains("Phones: OS " + minimum.getValue() + "+, encrypted, not rooted")) {
                System.err.println("demo:   compliance policy " + minimum.getKey() + " (already there)");
                continue;
            }
            expect(
                    "compliance policy " + minimum.getKey(),
                    rest.post(
                            o.policy(),
                            "/api/v1/compliance-policies",
                            admin,
                            Map.of(
                                    "name", "Phones: OS " + minimum.getValue() + "+, encrypted, not rooted",
                                    "platform", minimum.getKey(),
                                    "rules",
                                            Map.of(
                                                    "minimumOsVersion", minimum.getValue(),
                                                    "encryptionRequired", true,
                                                    "passcodeRequired", true,
                                                    "jailbrokenBlocked", true,
                                                    "requiredApps", List.of()),
                                    "actions",
                                            List.of(
                                                    Map.of("action", "NOTIFY", "after", "PT0S"),
                                                    Map.of("action", "MARK_NON_COMPLIANT", "after", "PT0S"),
                                                    Map.of("action", "BLOCK", "after", "PT1H")),
                                    "targets", List.of(Map.of("kind", "ALL_USERS")))));
        }
        // Configuration profiles for managed devices: a passcode policy on every device, the office Wi-Fi on Android.
        List<String> profiles = names(rest, o, admin, "/api/v1/configuration-profiles");
        for (String platform : List.of("ANDROID", "IOS")) {
            String name = "Passcode: 8 characters, 90 days, " + platform;
            if (profiles.contains(name)) {
                System.err.println("demo:   passcode profile " + platform + " (already there)");
                continue;
            }
            expect(
                    "passcode profile " + platform,
                    rest.post(
                            o.policy(),
                            "/api/v1/configuration-profiles",
                            admin,
                            Map.of(
                                    "name",
                                    name,
                                    "platform",
                                    platform,
                                    "type",
                                    "PASSWORD",
                                    "settings",
                                    Map.of(
                                            "minimumLength", 8,
                                            "complexity", "ALPHANUMERIC",
                                            "expiry", "P90D",
                                            "lockAfterIdle", "PT5M"),
                                    "targets",
                                    List.of(Map.of("kind", "ALL_DEVICES")))));
        }
        if (profiles.contains("Office Wi-Fi")) {
            System.err.println("demo:   Wi-Fi profile (already there)");
        } else {
            expect(
                    "Wi-Fi profile",
                    rest.post(
                            o.policy(),
                            "/api/v1/configuration-profiles",
                            admin,
                            Map.of(
                                    "name", "Office Wi-Fi",
                                    "platform", "ANDROID",
                                    "type", "WIFI",
                                    "settings",
                                            Map.of(
                                                    "ssid", "contoso-office",
                                                    "security", "WPA2_ENTERPRISE",
                                                    "certificateRef", "vault:certs/contoso-wifi"),
                                    "targets", List.of(Map.of("kind", "ALL_USERS")))));
        }
        System.err.println("demo: tenant '" + tenant + "' seeded; starting the fleet");
    }

    /**
     * policy-service knows a group only once it has seen a membership event for it (no GroupCreated event), so the
     * policy that excludes contractors waits until a sign-in of a contractor says the group is known.
     */
    private static void awaitGroupsKnown(Rest rest, SimulatorOptions o, String admin) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Object> probe = Map.of(
                "name",
                "probe",
                "platform",
                "ANDROID",
                "appIds",
                List.of("com.contoso.probe"),
                "targets",
                List.of(Map.of("kind", "USER_GROUP", "groupId", "contractors")));
        while (System.nanoTime() < deadline) {
            Rest.Response r = rest.post(o.policy(), "/api/v1/app-protection-policies", admin, probe);
            if (r.ok()) {
                String id = r.text("id");
                if (!id.isEmpty()) {
                    delete(o, admin, id);
                }
                return;
            }
            Thread.sleep(500);
        }
    }

    private static void delete(SimulatorOptions o, String admin, String id) {
        try {
            java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            o.policy().resolve("/api/v1/app-protection-policies/" + id))
                                    .header("Authorization", "Bearer " + admin)
                                    .DELETE()
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            // a leftover probe policy for an app nobody uses is harmless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names of the tenant's live policies at {@code path}: a second demo run does not add the same ones again. */
    private static List<String> names(Rest rest, SimulatorOptions o, String admin, String path) {
        Rest.Response r = rest.get(o.policy(), path, admin);
        List<String> names = new ArrayList<>();
        if (r.ok()) {
            r.body().forEach(p -> names.add(p.path("name").asText()));
        }
        return names;
    }

    private static String name(String appId) {
        String last = appId.substring(appId.lastIndexOf('.') + 1);
        return "Contoso " + Character.toUpperCase(last.charAt(0)) + last.substring(1);
    }

    /** 2xx, or 409 (already there: the demo seeded before); anything else stops the demo with the answer. */
    private static void expect(String what, Rest.Response r) {
        if (r.ok() || r.status() == 409) {
            System.err.println("demo:   " + what + (r.status() == 409 ? " (already there)" : ""));
            return;
        }
        throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
    }
}
