package io.skyforge.testkit.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Azurite's blob service as a child process on {@code 127.0.0.1} and a free port, storing its data in
 * a temporary directory removed on {@link #close()}.
 *
 * <p>The executable is looked up, in order: the {@code skyforge.azurite} system property (a path to
 * {@code azurite-blob}); {@code .ci/node_modules/.bin/azurite-blob} in this or a parent directory
 * (what {@code npm ci --prefix .ci} installs); {@code npx --no-install azurite-blob}.
 */
public final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account; public by design, valid only against the emulator. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public static final String INSTALL_HINT = "Azurite is not installed: run `npm ci --prefix .ci` in the repository root "
            + "(or set -Dskyforge.azurite=/path/to/azurite-blob)";

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;

    private AzuriteServer(Process process, Path dataDir, Path log, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    /** Whether an Azurite executable can be found without starting it. */
    public static boolean installed() {
        return locate() != null || onPath("npx") && npxHasAzurite();
    }

    public static AzuriteServer start() {
        List<String> command = new ArrayList<>();
        Path exe = locate();
        if (exe != null) {
            command.add(exe.toString());
        } else if (onPath("npx") && npxHasAzurite()) {
            command.addAll(List.of("npx", "--no-install", "azurite-blob"));
        } else {
            throw new IllegalStateException(INSTALL_HINT);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("skyforge-azurite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        command.addAll(List.of("--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--location", dir.resolve("data").toString(), "--silent", "--skipApiVersionCheck", "--loose"));
        Path log = dir.resolve("azurite.log");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage() + ". " + INSTALL_HINT, e);
        }
        AzuriteServer server = new AzuriteServer(p, dir, log, port);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String out = logTail();
                close();
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + " before answering: "
                        + out + (out.contains("not found") || out.contains("ENOENT") ? " " + INSTALL_HINT : ""));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("Azurite did not listen on 127.0.0.1:" + port + " within " + timeout.toSeconds() + " s");
    }

    /** The blob service endpoint including the account path: {@code http://127.0.0.1:PORT/devstoreaccount1}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/" + ACCOUNT_NAME);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        // npx starts node as a grandchild; killing only the direct child would leave the server running.
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        deleteTree(dataDir);
    }

    private String logTail() {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            return all.length() > 2000 ? all.substring(all.length() - 2000) : all;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static Path locate() {
        String explicit = System.getProperty("skyforge.azurite");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("-Dskyforge.azurite=" + explicit + " is not an executable file");
            }
            return p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".ci/node_modules/.bin/azurite-blob");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    private static boolean npxHasAzurite() {
        try {
            Process p = new ProcessBuilder("npx", "--no-install", "azurite-blob", "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azurite", e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // A leftover temp file is harmless; failing the test run over it is not.
                }
            });
        } catch (IOException ignored) {
            // Same: best effort.
        }
    }
}
