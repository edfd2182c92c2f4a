package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * README's main command: `skyforge demo --exit` runs a job end to end on three local clouds, places
 * it on the cheaper allowed cloud, and every part in the bucket equals `skyforge generate
 * --partition K` of the same spec.
 */
class DemoIT {

    @TempDir
    Path dir;

    static int run(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void shouldRunTheDemoJobOnTheCheaperAllowedCloudWithPartsEqualToOfflineGeneration() throws Exception {
        StringWriter out = new StringWriter();
        int exit = run(out, "demo", "--exit", "--port", "0", "--data-dir", dir.toString());
        String text = out.toString();
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("Job demo/shop-demo: Succeeded", "Decision: PLACED — start now on CLOUD_B",
                "residency", "Manifest: shop/v1/_manifest.json", "/actuator/prometheus");
        assertThat(text).containsPattern("CLOUD_A .*\\n(.*\\n)*.*residency\\s+FAIL");

        // The S3 endpoint keeps objects as files: bucket dir / key.
        Path bucket = dir.resolve("s3-cloud-b").resolve("demo-output-b");
        assertThat(bucket.resolve("shop/v1/_manifest.json")).exists();
        Path offline = dir.resolve("offline");
        StringWriter gen = new StringWriter();
        assertThat(run(gen, "generate", Path.of("..", "examples", "datasets", "shop.yaml").toString(), "--out",
                offline.toString(), "--format", "parquet", "--partitions", "4", "--partition", "2", "-q")).as(gen.toString()).isZero();
        List<Path> parts;
        try (Stream<Path> s = Files.walk(offline)) {
            parts = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        assertThat(parts).hasSize(4);
        for (Path p : parts) {
            Path inBucket = bucket.resolve("shop/v1").resolve(offline.relativize(p).toString());
            assertThat(Files.readAllBytes(inBucket)).as(inBucket.toString()).isEqualTo(Files.readAllBytes(p));
        }
    }
}
