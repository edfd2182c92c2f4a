package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    static final String SHOP = Path.of("..", "examples", "datasets", "shop.yaml").toString();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(GenerateCommand cmd, String... args) {
        CommandLine cl = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, parsed) -> Main.report(e, c.getErr()));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(new GenerateCommand(), args);
    }

    @Test
    void shouldWriteEveryTableAndTheManifestLast() throws IOException {
        Path dir = tmp.resolve("shop");
        Run r = run(SHOP, "--out", dir.toString(), "--format", "csv", "--partitions", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("_manifest.json")).exists();
        for (String t : List.of("customers", "products", "orders", "order_lines")) {
            for (int k = 0; k < 3; k++) {
                assertThat(dir.resolve(t).resolve("part-" + k + "-of-3.csv")).exists();
            }
        }
        String manifest = Files.readString(dir.resolve("_manifest.json"));
        assertThat(manifest).contains("\"specHash\"", "\"engineVersion\"", "\"sha256\"", "customers/part-0-of-3.csv");
        assertThat(r.out()).contains("generated", "rows");
    }

    @Test
    void shouldGiveIdenticalRowsWithFivePartitionsAsWithOne() throws IOException {
        Path one = tmp.resolve("one");
        Path five = tmp.resolve("five");
        assertThat(run(SHOP, "--out", one.toString(), "--no-header", "--threads", "1").code()).isZero();
        assertThat(run(SHOP, "--out", five.toString(), "--no-header", "--partitions", "5", "--threads", "2").code()).isZero();
        for (String t : List.of("customers", "products", "orders", "order_lines")) {
            byte[] whole = Files.readAllBytes(one.resolve(t).resolve("part-0-of-1.csv"));
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Path p : parts(five.resolve(t))) {
                joined.write(Files.readAllBytes(p));
            }
            assertThat(joined.toByteArray()).as(t).isEqualTo(whole);
        }
    }

    @Test
    void shouldWriteOnlyTheRequestedPartAndNoManifest() {
        Path dir = tmp.resolve("part");
        Run r = run(SHOP, "--out", dir.toString(), "--table", "orders", "--partitions", "4", "--partition", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("orders/part-2-of-4.csv")).exists();
        assertThat(dir.resolve("orders/part-0-of-4.csv")).doesNotExist();
        assertThat(dir.resolve("customers")).doesNotExist();
        assertThat(dir.resolve("_manifest.json")).doesNotExist();
    }

    @Test
    void shouldStreamToStdoutWithRowsOverride() {
        GenerateCommand cmd = new GenerateCommand();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        cmd.stdout = stdout;
        Run r = run(cmd, SHOP, "--out", "-", "--table", "products", "--rows", "7", "--format", "jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(7).allMatch(l -> l.startsWith("{\"product_id\":"));
    }

    @Test
    void shouldReportSpecErrorsWithFileLineAndColumnAndWriteNothing() throws IOException {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, """
                apiVersion: data.mcp/v1
                kind: Dataset
                metadata: {name: bad}
                spec:
                  locale: en_UK
                  tables:
                    - name: t
                      rows: -3
                      columns:
                        - {name: id, type: bigint, generator: sequense}
                """);
        Path dir = tmp.resolve("never");
        Run r = run(spec.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: SF-VALIDATION");
        assertThat(r.err()).contains(spec + ":5:", "did you mean 'en_US'");
        assertThat(r.err()).contains(spec + ":8:", "rows");
        assertThat(r.err()).contains(spec + ":10:", "unknown generator 'sequense' (did you mean 'sequence'?)");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldRefuseBadFlagsWithOneLine() {
        Run r = run(SHOP, "--format", "xml", "--out", tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("error: SF-VALIDATION: unknown format 'xml'");
        // bucket targets are checked before any network call (GenerateToBucketIT covers the reachable ones)
        Run noBucket = run(SHOP, "--out", "s3:///prefix");
        assertThat(noBucket.code()).isEqualTo(1);
        assertThat(noBucket.err().strip()).isEqualTo("error: SF-VALIDATION: 's3:///prefix' is not s3://<bucket>/[prefix]");
        Run badEndpoint = run(SHOP, "--out", "s3://bucket/prefix", "--s3-endpoint", "ftp://127.0.0.1:9");
        assertThat(badEndpoint.code()).isEqualTo(1);
        assertThat(badEndpoint.err().strip()).doesNotContain("\n").startsWith("error: SF-VALIDATION: --out s3://bucket/prefix: endpoint")
                .contains("is not an http(s) URL");
    }

    static List<Path> parts(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.sorted().toList());
        }
    }
}
