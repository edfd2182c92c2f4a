package io.skyforge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's three examples (examples/seed) are accepted verbatim. */
class SeedExamplesTest {

    private static final Path SEED = Path.of("..", "examples", "seed");

    private static List<Resource> read(String file) throws Exception {
        return Manifests.read(file, Files.readString(SEED.resolve(file)));
    }

    @Test
    void shouldTurnTheUrmJsonFormIntoALogicalBucket() throws Exception {
        List<Resource> rs = read("lb-123.json");
        assertThat(rs).hasSize(1);
        Resource lb = rs.get(0);
        assertThat(lb.kind()).isEqualTo("LogicalBucket");
        assertThat(lb.apiVersion()).isEqualTo("storage.mcp/v1");
        assertThat(lb.name()).isEqualTo("lb-123");
        LogicalBucketSpec spec = Kinds.spec(lb, LogicalBucketSpec.class);
        assertThat(spec.providers()).containsExactly(
                new BucketProvider("CLOUD_A", "bucket-x"), new BucketProvider("CLOUD_B", "container-y"));
    }

    @Test
    void shouldTurnEachStorageProviderIntoACloud() throws Exception {
        List<Resource> rs = read("storage-providers.yaml");
        assertThat(rs).extracting(Resource::name).containsExactly("cloud_a_oss", "cloud_b_obs");
        assertThat(rs).allSatisfy(r -> assertThat(r.kind()).isEqualTo("Cloud"));
        CloudSpec a = Kinds.spec(rs.get(0), CloudSpec.class);
        assertThat(a.type()).isEqualTo("s3");
        assertThat(a.endpoint()).isEqualTo("https://oss.cloud-a.com");
        assertThat(a.accessKey()).isEqualTo("${ENV_CLOUD_A_KEY}");
    }

    @Test
    void shouldAcceptTheSeedDataJobAsWritten() throws Exception {
        List<Resource> rs = read("data-cleaning.yaml");
        Resource job = rs.get(0);
        assertThat(job.name()).isEqualTo("data-cleaning");
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        assertThat(spec.cloud()).isEqualTo("CLOUD_A");
        assertThat(spec.image()).isEqualTo("data-processor:v1");
        assertThat(spec.resources().cpu()).isEqualTo("2");
        assertThat(spec.resources().memory()).isEqualTo("4Gi");
    }
}
