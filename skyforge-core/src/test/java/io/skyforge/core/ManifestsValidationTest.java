package io.skyforge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input is refused with every problem, its field path and its line and column. */
class ManifestsValidationTest {

    private static SkyforgeException failure(String yaml) {
        try {
            Manifests.read("bad.yaml", yaml);
        } catch (SkyforgeException e) {
            return e;
        }
        throw new AssertionError("expected a failure for:\n" + yaml);
    }

    @Test
    void shouldReportEveryProblemOfADocumentWithPathLineAndColumn() {
        SkyforgeException e = failure("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata:
                  name: Bad_Name
                spec:
                  parallelism: many
                  priorty: batch
                  output: {bucket: b, format: xlsx}
                """);
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.violations()).extracting(Violation::path)
                .containsExactlyInAnyOrder("metadata.name", "spec.parallelism", "spec.priorty", "spec.output.format");
        Violation typo = e.violations().stream().filter(v -> v.path().equals("spec.priorty")).findFirst().orElseThrow();
        assertThat(typo.line()).isEqualTo(7);
        assertThat(typo.column()).isEqualTo(3);
        assertThat(typo.message()).contains("did you mean 'priority'");
        Violation parallelism = e.violations().stream().filter(v -> v.path().equals("spec.parallelism")).findFirst().orElseThrow();
        assertThat(parallelism.line()).isEqualTo(6);
        assertThat(parallelism.message()).contains("expected an integer");
        assertThat(e.violations().stream().filter(v -> v.path().equals("spec.output.format")).findFirst().orElseThrow()
                .message()).contains("csv, jsonl, parquet, sql");
    }

    @Test
    void shouldSuggestTheKindWhenItIsMisspelt() {
        SkyforgeException e = failure("apiVersion: batch.mcp/v1\nkind: DataJb\nmetadata: {name: x}\nspec: {}\n");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_KIND);
        assertThat(e.getMessage()).contains("did you mean 'DataJob'");
        assertThat(e.violations().get(0).line()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnApiVersionThatDoesNotServeTheKind() {
        SkyforgeException e = failure("apiVersion: batch.mcp/v2\nkind: DataJob\nmetadata: {name: x}\nspec: {}\n");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_KIND);
        assertThat(e.getMessage()).contains("use batch.mcp/v1");
    }

    @Test
    void shouldRefuseMalformedYamlWithItsPosition() {
        SkyforgeException e = failure("apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata:\n  name: [unclosed\n");
        assertThat(e.code()).isEqualTo(ErrorCode.PARSE);
        assertThat(e.violations().get(0).line()).isGreaterThan(0);
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        SkyforgeException e = failure("apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: x}\nspec:\n  cloud: a\n  cloud: b\n");
        assertThat(e.code()).isEqualTo(ErrorCode.PARSE);
        assertThat(e.getMessage()).contains("duplicate key 'cloud'");
        assertThat(e.violations().get(0).line()).isEqualTo(6);
    }

    @Test
    void shouldRefuseABillionLaughsAliasBombQuickly() {
        StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        SkyforgeException e = failure(y.toString());
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void shouldRefuseADocumentLargerThanTheLimit() {
        String big = "apiVersion: data.mcp/v1\nkind: Dataset\nmetadata: {name: big}\nspec:\n  description: \""
                + "x".repeat(10 * 1024 * 1024) + "\"\n  tables: []\n";
        SkyforgeException e = failure(big);
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void shouldRequireMetadataNameAndSpec() {
        SkyforgeException e = failure("apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {}\n");
        assertThat(e.violations()).extracting(Violation::path).contains("metadata.name", "spec");
    }

    @Test
    void shouldAllowUpperCaseAndUnderscoreOnlyInCloudNames() {
        Manifests.read("ok.yaml", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: CLOUD_A}\nspec: {type: filesystem}\n");
        SkyforgeException e = failure("apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: LB_1}\n"
                + "spec: {providers: [{cloud: CLOUD_A, physicalId: x}]}\n");
        assertThat(e.violations()).extracting(Violation::path).containsExactly("metadata.name");
    }

    @Test
    void shouldRefuseMalformedVariableReferences() {
        SkyforgeException e = failure("apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: c}\n"
                + "spec: {type: s3, accessKey: '${1BAD}', secretKey: '${UNTERMINATED'}\n");
        assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder("spec.accessKey", "spec.secretKey");
    }

    @Test
    void shouldReportProblemsOfSeveralDocumentsTogether() {
        SkyforgeException e = failure("""
                apiVersion: core.mcp/v1
                kind: Cloud
                metadata: {name: ok}
                spec: {type: s4}
                ---
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: lb}
                spec: {providers: [{cloud: ok}]}
                """);
        assertThat(e.violations()).hasSize(2);
        assertThat(e.violations().get(0).message()).contains("did you mean 's3'");
        assertThat(e.violations().get(1).line()).isEqualTo(9);
        assertThat(e.getMessage()).contains("2 problems in all");
    }

    @Test
    void shouldRefuseWrongTypesInsideLists() {
        SkyforgeException e = failure("apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: lb}\n"
                + "spec:\n  providers:\n    - cloud: a\n      physicalId: [x]\n");
        Violation v = e.violations().get(0);
        assertThat(v.path()).isEqualTo("spec.providers[0].physicalId");
        assertThat(v.line()).isEqualTo(7);
        assertThat(v.message()).contains("expected a string, found a list");
    }

    @Test
    void shouldCheckTheKubernetesComputeFieldsOfACloud() {
        SkyforgeException e = failure("""
                apiVersion: core.mcp/v1
                kind: Cloud
                metadata: {name: k8s}
                spec:
                  type: s3
                  compute:
                    type: kubernetes
                    imagePullSecrets: registry-cred
                    ttlSecondsAfterFinished: -1
                    serverUrl: http://cp:8080
                    tokenSecert: t
                """);
        assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.compute.imagePullSecrets", "spec.compute.ttlSecondsAfterFinished", "spec.compute.tokenSecert");
        assertThat(e.violations().stream().filter(v -> v.path().equals("spec.compute.tokenSecert")).findFirst().orElseThrow()
                .message()).contains("did you mean 'tokenSecret'");
        assertThat(Manifests.read("ok.yaml", "storage_providers:\n  - name: k8s\n    type: filesystem\n    compute:\n"
                + "      type: kubernetes\n      server_url: http://cp:8080\n      image_pull_secrets: [registry-cred]\n"
                + "      token_secret: workers\n      ttl_seconds_after_finished: 600\n")).hasSize(1);
    }

    @Test
    void shouldAcceptJsonAndMultiDocumentYaml() {
        assertThat(Manifests.read("x.json", "{\"apiVersion\":\"core.mcp/v1\",\"kind\":\"Cloud\",\"metadata\":{\"name\":\"a\"},"
                + "\"spec\":{\"type\":\"filesystem\",\"root\":\"/tmp/a\"}}")).hasSize(1);
        assertThat(Manifests.read("x.yaml", "---\napiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: a}\n"
                + "spec: {type: filesystem}\n---\n---\napiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: b}\n"
                + "spec: {type: filesystem}\n")).hasSize(2);
    }

    @Test
    void shouldKeepLocationsWhenExpandingSeedForms() {
        SkyforgeException e = failure("storage_providers:\n  - name: a\n    type: s3\n    acess_key: x\n");
        Violation v = e.violations().get(0);
        assertThat(v.line()).isEqualTo(4);
        assertThat(v.message()).contains("did you mean 'accessKey'");
    }

    @Test
    void shouldRefuseUnknownConfigSections() {
        SkyforgeException e = failure("storage_providers: []\nresorces: []\n");
        assertThat(e.getMessage()).contains("did you mean 'resources'");
        assertThat(List.of(e.violations().get(0).line())).containsExactly(2);
    }
}
