package io.skyforge.cli;

import io.skyforge.control.job.PartitionTask;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.control.placement.PlacementDecision;
import io.skyforge.control.placement.PlacementExplainer;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.core.Manifests;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "demo", description = "Start the control plane with three local clouds (two in-process S3 endpoints,"
        + " one filesystem), apply the examples, run a job and show placement, parts, manifest and URLs.")
final class DemoCommand implements Callable<Integer> {

    /** The demo's resources, packaged in the jar from examples/ so the demo runs from any directory. */
    static final List<String> EXAMPLES = List.of("examples/demo/logicalbucket.yaml", "examples/datasets/shop.yaml",
            "examples/demo/datajob.yaml");
    static final String NAMESPACE = "demo";
    static final String JOB = "shop-demo";

    @Option(names = "--exit", description = "stop when the job ends (exit 0 when it succeeded)")
    boolean exit;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", description = "where the demo keeps its store and buckets (default: a new temporary directory)")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for the job (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : Files.createTempDirectory("skyforge-demo-");
        out.println("Skyforge demo in " + dir);
        out.flush();
        try (S3ProxyServer a = S3ProxyServer.start(dir.resolve("s3-cloud-a"));
             S3ProxyServer b = S3ProxyServer.start(dir.resolve("s3-cloud-b"))) {
            Path config = dir.resolve("demo-config.yaml");
            Files.writeString(config, config(a, b, dir.resolve("local-disk")));
            SkyforgeServer server = SkyforgeServer.start(new ServerSettings(port, "127.0.0.1", dir.resolve("control-plane"),
                    null, config));
            try {
                ResourceService service = server.context().getBean(ResourceService.class);
                out.printf(Locale.ROOT, "control plane up at %s (%.1f s)%n", server.url(), (System.nanoTime() - started) / 1e9);
                out.flush();
                // Placement only considers Ready clouds: let the first probes land before the job arrives.
                awaitReady(service, Kinds.CLOUD, null, List.of("CLOUD_A", "CLOUD_B", "local"));
                for (String example : EXAMPLES) {
                    for (Resource r : Manifests.read(example, example(example))) {
                        service.upsert(Kinds.of(r), r.namespace(), r.name(), r);
                    }
                    if (example.endsWith("logicalbucket.yaml")) {
                        awaitReady(service, Kinds.LOGICAL_BUCKET, NAMESPACE, List.of("demo-output"));
                    }
                }
                out.printf(Locale.ROOT, "clouds and bucket Ready, job applied (%.1f s)%n", (System.nanoTime() - started) / 1e9);
                out.flush();
                Resource job = awaitJob(service);
                report(out, server, service, job, started);
                boolean ok = "Succeeded".equals(job.status().path("phase").asString());
                if (exit) {
                    return ok ? Main.OK : Main.SYSTEM_ERROR;
                }
                out.println();
                out.println("The demo keeps running; press Ctrl-C to stop. Try:");
                out.println("  export SKYFORGE_SERVER=" + server.url() + " SKYFORGE_TOKEN=$(cat " + server.adminTokenFile() + ")");
                out.println("  ./skyforge get datajobs -n demo");
                out.println("  ./skyforge explain job " + JOB + " -n demo");
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "skyforge-demo-stop"));
                stop.await();
                return Main.OK;
            } finally {
                server.close();
            }
        }
    }

    private void awaitReady(ResourceService service, io.skyforge.core.model.ResourceKind kind, String namespace,
                            List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        for (String name : names) {
            while (true) {
                Resource r = service.get(kind, namespace, name).orElse(null);
                if (r != null && Output.condition(r, "Ready").startsWith("True")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new SkyforgeException(ErrorCode.TIMEOUT, kind.kind() + " " + name + " did not become Ready within "
                            + timeoutSeconds + " s" + (r == null ? "" : ": " + Output.condition(r, "Ready")));
                }
                Thread.sleep(100);
            }
        }
    }

    private Resource awaitJob(ResourceService service) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            Resource job = service.get(Kinds.DATA_JOB, NAMESPACE, JOB).orElseThrow();
            String phase = job.status().path("phase").asString("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new SkyforgeException(ErrorCode.TIMEOUT, "the demo job did not finish within " + timeoutSeconds
                        + " s (phase " + phase + "); see `skyforge describe datajob " + JOB + " -n demo`");
            }
            Thread.sleep(100);
        }
    }

    private void report(PrintWriter out, SkyforgeServer server, ResourceService service, Resource job, long started) {
        JsonNode st = job.status();
        out.println();
        out.println("Clouds");
        for (Resource c : service.list(Kinds.CLOUD, null, io.skyforge.core.select.LabelSelector.EVERYTHING, 0, null).items()) {
            out.printf(Locale.ROOT, "  %-8s %-10s %-4s %-28s %s%n", c.name(), c.spec().path("type").asString(),
                    c.metadata().labels().getOrDefault("jurisdiction", "-"), c.spec().path("endpoint").asString("-"),
                    Output.condition(c, "Ready"));
        }
        out.println();
        out.printf(Locale.ROOT, "Job %s/%s: %s — %,d rows, %,d bytes in %d partitions on %s%n", NAMESPACE, JOB,
                st.path("phase").asString(), st.path("rows").asLong(), st.path("bytes").asLong(),
                st.path("partitions").path("total").asInt(), st.path("clouds"));
        if (st.path("phase").asString().equals("Failed")) {
            for (JsonNode c : st.path("conditions")) {
                if (c.path("type").asString().equals("Failed")) {
                    out.println("  why: " + c.path("message").asString());
                }
            }
        }
        if (st.path("placement").isObject()) {
            out.println();
            out.println("Placement (skyforge explain job " + JOB + " -n demo)");
            PlacementExplainer.render(PlacementDecision.fromJson(st.path("placement"))).lines()
                    .forEach(l -> out.println("  " + l));
        }
        List<PartitionTask> tasks = server.context().getBean(TaskQueue.class).tasks(job.metadata().uid());
        if (!tasks.isEmpty()) {
            out.println();
            out.println("Parts");
            List<String> lines = new ArrayList<>();
            for (PartitionTask t : tasks) {
                if (t.result() == null) {
                    continue;
                }
                JsonNode r = Json.MAPPER.readTree(t.result());
                lines.add(String.format(Locale.ROOT, "  %-8s %-20s %-42s %,9d rows %,11d bytes  sha256 %s",
                        r.path("cloud").asString(), r.path("physicalBucket").asString(), r.path("objectKey").asString(),
                        r.path("rows").asLong(), r.path("bytes").asLong(), r.path("sha256").asString().substring(0, 12)));
            }
            lines.forEach(out::println);
        }
        if (st.has("manifest")) {
            out.println();
            out.println("Manifest: " + st.path("manifest").asString() + " (" + st.path("specHash").asString() + ")");
        }
        out.println();
        out.println("URLs");
        out.println("  API      " + server.url() + "   (token: " + server.adminTokenFile() + ")");
        out.println("  health   " + server.url() + "/actuator/health");
        out.println("  metrics  " + server.url() + "/actuator/prometheus   (bearer token)");
        out.printf(Locale.ROOT, "%nDemo finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.flush();
    }

    static String config(S3ProxyServer a, S3ProxyServer b, Path local) {
        return """
                # Written by `skyforge demo`: two in-process S3 endpoints and one directory.
                storage_providers:
                  - name: CLOUD_A
                    type: s3
                    endpoint: %s
                    region: %s
                    path_style: true
                    access_key: %s
                    secret_key: %s
                    labels: {jurisdiction: us}
                    compute: {type: local, slots: 2}
                    pricing: {cpu_hour: 0.01, egress_gb: 0.09, currency: USD}
                  - name: CLOUD_B
                    type: s3
                    endpoint: %s
                    region: %s
                    path_style: true
                    access_key: %s
                    secret_key: %s
                    labels: {jurisdiction: eu}
                    compute: {type: local, slots: 2}
                    pricing: {cpu_hour: 0.03, egress_gb: 0.05, currency: USD}
                  - name: local
                    type: filesystem
                    root: %s
                    labels: {jurisdiction: eu}
                    compute: {type: local, slots: 2}
                    pricing: {cpu_hour: 0.05, egress_gb: 0.09, currency: USD}
                """.formatted(a.endpoint(), S3ProxyServer.REGION, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                b.endpoint(), S3ProxyServer.REGION, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, local);
    }

    static String example(String path) {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new SkyforgeException(ErrorCode.NOT_FOUND, "the demo's " + path + " is not in the jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
