package dev.bulwark.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one process) running in a child JVM with the
 * broker's own classpath. Used by the tests and by the local stack; the broker's data lives in the folder it is given,
 * so a second start on the same folder keeps the topics.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/dev/bulwark/kafka/broker.classpath";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Process process;

    private KafkaBroker(Path dataDir, int port, int controllerPort, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
    }

    /** Starts a broker on free ports with its data under {@code dataDir} and waits until it accepts connections. */
    public static KafkaBroker start(Path dataDir) {
        return start(dataDir, 0, Duration.ofSeconds(60));
    }

    /**
     * Starts a broker listening on {@code port} (0 picks a free one; a data folder formatted before keeps its cluster
     * id) and waits up to {@code timeout} until it accepts connections.
     */
    public static KafkaBroker start(Path dataDir, int port, Duration timeout) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Path logDir = dataDir.resolve("log");
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(brokerPort, controllerPort, logDir), StandardCharsets.UTF_8);
            String classpath = brokerClasspath();
            Path clusterIdFile = dataDir.resolve("cluster.id");
            if (!Files.exists(clusterIdFile)) {
                Files.writeString(clusterIdFile, clusterId());
            }
            String clusterId = Files.readString(clusterIdFile).trim();
            Path formatLog = dataDir.resolve("format.log");
            Process format = javaProcess(
                            classpath,
                            "kafka.tools.StorageTool",
                            "format",
                            // one argument with '=': a base64 id may start with '-', which a separate argument
                            // would make the tool's parser read as an option ("expected one argument")
                            "--cluster-id=" + clusterId,
                            "-c",
                            config.toString(),
                            "--ignore-formatted",
                            "--standalone")
                    .redirectErrorStream(true)
                    .redirectOutput(formatLog.toFile())
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException(
                        "Kafka storage format failed; see " + formatLog + ":\n" + Files.readString(formatLog));
            }
            Path brokerLog = dataDir.resolve("broker.log");
            Process broker = javaProcess(classpath, "kafka.Kafka", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                    .start();
            KafkaBroker started = new KafkaBroker(dataDir, brokerPort, controllerPort, broker);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-broker-stop"));
            started.awaitListening(timeout, brokerLog);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker in " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
    }

    /** The address clients use, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 20 s) and waits for its JVM to end. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(Duration timeout, Path brokerLog) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited with " + process.exitValue() + "; see "
                        + brokerLog + ":\n" + tail(brokerLog));
            }
            if (Files.exists(brokerLog)
                    && Files.readString(brokerLog).contains("Kafka Server started")
                    && canConnect(port)) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("The Kafka broker did not start within " + timeout + "; see " + brokerLog);
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ProcessBuilder javaProcess(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.awt.headless=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.kafka=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
        command.add("-Dorg.slf4j.simpleLogger.log.kafka.server.BrokerServer=info");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            Objects.requireNonNull(in, "missing " + CLASSPATH_RESOURCE + ": build the kafka-broker module with Maven");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String serverProperties(int port, int controllerPort, Path logDir) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=6",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "log.retention.hours=-1",
                "log.segment.bytes=67108864",
                "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
