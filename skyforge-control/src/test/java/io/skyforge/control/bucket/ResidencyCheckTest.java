package io.skyforge.control.bucket;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.Manifests;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResidencyCheckTest {

    static Resource cloud(String name, String jurisdiction) {
        return Manifests.read("test", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: " + name
                + (jurisdiction != null ? ", labels: {jurisdiction: " + jurisdiction + "}" : "") + "}\n"
                + "spec: {type: filesystem, root: /tmp/x}\n").get(0);
    }

    static Resource bucket(String residency, String... clouds) {
        StringBuilder y = new StringBuilder("apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: b, namespace: default}\n"
                + "spec:\n  providers:\n");
        for (String c : clouds) {
            y.append("    - {cloud: ").append(c).append(", physicalId: p-").append(c.toLowerCase()).append("}\n");
        }
        if (residency != null) {
            y.append("  residency: {allowed: ").append(residency).append("}\n");
        }
        return Manifests.read("test", y.toString()).get(0);
    }

    final Map<String, Resource> clouds = Map.of("eu1", cloud("eu1", "eu"), "cn1", cloud("cn1", "cn"),
            "bare", cloud("bare", null));
    final ResidencyCheck check = new ResidencyCheck(name -> Optional.ofNullable(clouds.get(name)));

    @Test
    void shouldAcceptCloudsInAnAllowedJurisdictionAndBucketsWithoutAPolicy() {
        assertThatCode(() -> check.verify(bucket("[eu]", "eu1"))).doesNotThrowAnyException();
        assertThatCode(() -> check.verify(bucket(null, "eu1", "cn1", "bare"))).doesNotThrowAnyException();
        assertThatCode(() -> check.verify(bucket("[]", "cn1"))).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseEveryCloudOutsideTheListWithItsPath() {
        assertThatThrownBy(() -> check.verify(bucket("[eu]", "eu1", "cn1", "bare")))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.RESIDENCY);
                    org.assertj.core.api.Assertions.assertThat(e.violations()).extracting(v -> v.path())
                            .containsExactly("spec.providers[1].cloud", "spec.providers[2].cloud");
                })
                .hasMessageContaining("Cloud cn1 is in jurisdiction 'cn', but spec.residency.allowed is [eu]")
                .hasMessageContaining("Cloud bare has no 'jurisdiction' label");
    }

    @Test
    void shouldAcceptACloudThatDoesNotExistYet() {
        assertThatCode(() -> check.verify(bucket("[eu]", "eu1", "future"))).doesNotThrowAnyException();
    }
}
