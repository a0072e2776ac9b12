package dev.bulwark.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process of a service — the service itself, or one of its replicas — running as its own JVM ({@code java -jar
 * .../quarkus-run.jar}), configured only through its environment, with its output in a log file. Knows when it is
 * ready (its readiness probe answers 200) and how to stop it, gracefully or as a crash.
 */
public final class ServiceProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int TAIL_LINES = 60;

    private final BulwarkService service;
    private final int replica;
    private final int port;
    private final Path log;
    private final Process process;
    private final Instant startedAt;
    private final List<String> command;
    private final Map<String, String> environment;
    private volatile Duration readyAfter;

    private ServiceProcess(
            BulwarkService service,
            int replica,
            int port,
            Path log,
            Process process,
            Instant startedAt,
            List<String> command,
            Map<String, String> environment) {
        this.service = service;
        this.replica = replica;
        this.port = port;
        this.log = log;
        this.process = process;
        this.startedAt = startedAt;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /** Starts the service's JVM with {@code environment} added to this process's own; returns at once. */
    static ServiceProcess start(
            BulwarkService service,
            int replica,
            Path runJar,
            int port,
            Map<String, String> environment,
            List<String> jvmOptions,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(runJar.toString());
        return launch(service, replica, port, command, environment, log, ProcessBuilder.Redirect.to(log.toFile()));
    }

    private static ServiceProcess launch(
            BulwarkService service,
            int replica,
            int port,
            List<String> command,
            Map<String, String> environment,
            Path log,
            ProcessBuilder.Redirect output) {
        Path runJar = Path.of(command.get(command.size() - 1));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runJar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            return new ServiceProcess(
                    service, replica, port, log, builder.start(), Instant.now(), command, environment);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name(service, replica) + " (" + runJar + ")", e);
        }
    }

    /**
     * Starts the same service again — same jar, options, port and environment — once this process has ended; its log
     * goes on in the same file. Returns at once.
     */
    ServiceProcess startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException(name() + " is still running (pid " + pid() + ")");
        }
        return launch(
                service, replica, port, command, environment, log, ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /**
     * Ends the service's JVM at once (SIGKILL, {@link Process#destroyForcibly}), as a crash or an evicted pod would: no
     * shutdown hook runs, nothing is flushed, its Kafka consumers do not leave their groups (the broker notices only
     * when their session times out) and its open transactions end when PostgreSQL sees the connections close.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 and returns how long the service took from its start; fails at
     * once if the process ends, or after {@code timeout}.
     */
    Duration awaitReady(HttpClient http, Duration timeout) {
        URI probe = URI.create(url() + "/q/health/ready");
        Instant deadline = startedAt.plus(timeout);
        String lastAnswer = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw new StackStartException(
                        name() + " exited with code " + process.exitValue() + " before it was ready",
                        service,
                        tailOfLog());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(probe)
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    Duration ready = Duration.between(startedAt, Instant.now());
                    readyAfter = ready;
                    return ready;
                }
                lastAnswer = response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                lastAnswer = "connection refused";
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackStartException("interrupted while waiting for " + name(), service, tailOfLog());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackStartException(
                        name() + " was not ready within " + timeout.toSeconds() + " s (last answer of " + probe + ": "
                                + lastAnswer + ")",
                        service,
                        tailOfLog());
            }
            pause();
        }
    }

    /**
     * Stops the service and what it started: SIGTERM, up to 10 s for a graceful shutdown, then SIGKILL; descendants
     * still alive after that are killed too.
     */
    void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    public BulwarkService service() {
        return service;
    }

    /** Which replica of its service this process is, from 1. */
    public int replica() {
        return replica;
    }

    /** The service's name, with {@code -<n>} for replica n after the first: {@code compliance-service-2}. */
    public String name() {
        return name(service, replica);
    }

    static String name(BulwarkService service, int replica) {
        return replica == 1 ? service.moduleName() : service.moduleName() + "-" + replica;
    }

    /** How long this process took from its launch to its first ready answer, once it has given one. */
    public Optional<Duration> readyAfter() {
        return Optional.ofNullable(readyAfter);
    }

    public int port() {
        return port;
    }

    /** The service's base address, {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Completes when the process ends, for noticing a service that dies while the stack runs. */
    java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Resident memory of the service's JVM in kB, where {@code /proc} tells it (Linux). */
    public Optional<Long> residentKilobytes() {
        return ProcessMemory.residentKilobytes(process.pid());
    }

    /** The last lines of the service's log, for a message that explains a failed start. */
    public String tailOfLog() {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
