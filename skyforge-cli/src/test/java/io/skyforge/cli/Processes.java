package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Real {@code skyforge} processes for the fault tests: the control plane and workers as child JVMs
 * started from the runnable jar, each logging to a file, killed with SIGKILL
 * ({@link Process#destroyForcibly}) when a test says so and at the end in any case.
 */
final class Processes implements AutoCloseable {

    static final Path JAR = Path.of("target", "skyforge.jar").toAbsolutePath();
    /** Child JVMs start and run faster on a busy 2-core machine with C1 only and the serial GC. */
    private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k");

    private final Path logs;
    private final Map<String, String> env = new HashMap<>();
    private final List<Child> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Processes(Path logs) {
        this.logs = logs;
        assertThat(JAR).as("the runnable jar (built in the package phase, before the integration tests)").exists();
    }

    /** An environment variable every child gets (the clouds' ${VAR} credentials). */
    Processes env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** One child JVM running {@code io.skyforge.cli.Main args...}. */
    final class Child {
        final String name;
        final Process process;
        final Path log;

        Child(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        String log() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SIGKILL: no shutdown hook runs, nothing is reported, held leases are simply never renewed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as(name + " died").isTrue();
        }

        /** SIGTERM: the JVM runs its shutdown hooks (a worker hands back what it runs), then exits; answers the exit status. */
        int terminate(Duration timeout) throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as(name + " ended within " + timeout + " of SIGTERM\n" + tail()).isTrue();
            return process.exitValue();
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Waits for a log line matching {@code regex}; answers its match. */
        Matcher awaitLog(String regex, Duration timeout) throws InterruptedException {
            Pattern p = Pattern.compile(regex);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Matcher m = p.matcher(log());
                if (m.find()) {
                    return m;
                }
                assertThat(System.nanoTime() < deadline && process.isAlive())
                        .as(name + " did not log /" + regex + "/ (alive: " + process.isAlive() + ")\n" + tail()).isTrue();
                Thread.sleep(20);
            }
        }

        String tail() {
            String l = log();
            return "---- " + name + " ----\n" + (l.length() > 6000 ? l.substring(l.length() - 6000) : l);
        }
    }

    Child start(String name, List<String> systemProperties, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        systemProperties.forEach(p -> cmd.add("-D" + p));
        cmd.add("-cp");
        cmd.add(JAR.toString());
        cmd.add("io.skyforge.cli.Main");
        cmd.addAll(List.of(args));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().remove("SKYFORGE_TOKEN");
        pb.environment().remove("SKYFORGE_SERVER");
        Child c = new Child(name, pb.start(), log);
        children.add(c);
        return c;
    }

    /** {@code skyforge server} on a given port and data dir; returns once it answers its health probe. */
    Child server(String name, int port, Path dataDir, Path config, List<String> properties) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        Child server = start(name, properties, args.toArray(String[]::new));
        awaitUntil(Duration.ofSeconds(90), () -> healthy(port), server::tail);
        return server;
    }

    boolean healthy(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET of a JSON API with a bearer token. */
    JsonNode getJson(String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static void awaitUntil(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("timed out after " + timeout + "\n" + why.get()).isTrue();
            Thread.sleep(50);
        }
    }

    /** Every child's log tail, for failure messages. */
    String tails() {
        StringBuilder sb = new StringBuilder();
        children.forEach(c -> sb.append(c.tail()).append('\n'));
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Child c : children) {
            if (c.process.isAlive()) {
                c.process.destroyForcibly();
                c.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
