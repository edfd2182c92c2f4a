package io.skyforge.provider.kubernetes;

import io.skyforge.core.Manifests;
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.model.Resource;
import java.time.Instant;
import java.util.List;

/** DataJobs and Cloud compute settings as a user would write them. */
final class Fixtures {

    static final String UID = "6f1c2a9e-0d4b-4c55-9a39-3b1f3f0c7e21";

    private Fixtures() {
    }

    /** A DataJob read from YAML (so it passes the same validation as an applied one), with store fields set. */
    static Resource dataJob(String yaml, String uid) {
        Resource r = Manifests.read("job.yaml", yaml).get(0);
        return r.withMetadata(r.metadata().withStoreFields(uid, "7", 2, Instant.parse("2026-01-02T03:04:05Z")));
    }

    static Resource generateJob() {
        return dataJob("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: shop-10m, namespace: team-a}
                spec:
                  generate: {dataset: shop, scale: 10}
                  output: {bucket: lb-123, prefix: shop/v1, format: parquet}
                  parallelism: 16
                  backoffLimit: 2
                  resources: {cpu: 2, memory: 4Gi}
                """, UID);
    }

    static Resource containerJob() {
        return dataJob("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: data-cleaning, namespace: team-a}
                spec:
                  cloud: CLOUD_A
                  image: data-processor:v1
                  command: [/app/clean]
                  args: [--strict]
                  output: {bucket: lb-123, prefix: /cleaned/, format: csv}
                  parallelism: 4
                  resources: {cpu: "500m", memory: 512Mi}
                """, UID);
    }

    static ComputeSpec compute() {
        return new ComputeSpec("kubernetes", 8, "skyforge-jobs", "skyforge:0.1.0", null, null,
                "http://skyforge.skyforge-system.svc:8080", "skyforge-worker", List.of("registry-cred"), null, null, null);
    }

    static KubernetesSettings settings() {
        return KubernetesSettings.of("CLOUD_A", compute());
    }
}
