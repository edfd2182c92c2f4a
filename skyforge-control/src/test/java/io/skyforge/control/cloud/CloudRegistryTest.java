package io.skyforge.control.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.control.bucket.CopySelector;
import io.skyforge.core.Manifests;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ObjectMeta;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.StoreHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudRegistryTest {

    @TempDir
    Path dir;
    final CloudRegistry registry = new CloudRegistry(EnvReferences.of(Map.of("ROOT_VAR", "roots", "LONG_SECRET", "s3cr3t-value-xyz")));

    @AfterEach
    void close() {
        registry.close();
    }

    Resource cloud(String name, String specYaml, long generation, String jurisdiction) {
        Resource r = Manifests.read("test", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: " + name
                + (jurisdiction != null ? ", labels: {jurisdiction: " + jurisdiction + "}" : "") + "}\nspec: " + specYaml + "\n")
                .get(0);
        ObjectMeta m = r.metadata();
        return r.withMetadata(m.withStoreFields("uid-" + name, "1", generation, java.time.Instant.now()));
    }

    @Test
    void shouldBuildAStoreWithVariablesResolvedAtUse() {
        CloudRegistry.CloudState s = registry.configure(cloud("local", "{type: filesystem, root: '" + dir + "/${ROOT_VAR}'}", 1, "eu"));
        assertThat(s.store()).isNotNull();
        assertThat(s.jurisdiction()).isEqualTo("eu");
        assertThat(registry.store("local").createBucket("b-1")).isTrue();
        assertThat(dir.resolve("roots").toFile()).isDirectory();
        assertThat(registry.store("local").probe().up()).isTrue();
    }

    @Test
    void shouldKeepACloudWithAMissingVariableRegisteredWithTheReason() {
        CloudRegistry.CloudState s = registry.configure(cloud("s3", "{type: s3, endpoint: 'http://127.0.0.1:9', accessKey: k,"
                + " secretKey: '${NOT_SET_ANYWHERE}'}", 1, null));
        assertThat(s.store()).isNull();
        assertThat(s.configError().code()).isEqualTo(ErrorCode.MISSING_VARIABLE);
        assertThat(s.configError().getMessage())
                .isEqualTo("environment variable NOT_SET_ANYWHERE is not set on the server (spec.secretKey)");
        assertThatThrownBy(() -> registry.store("s3")).isInstanceOfSatisfying(SkyforgeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_VARIABLE));
        assertThatThrownBy(() -> registry.store("nope")).hasMessageContaining("Cloud nope not found");
    }

    @Test
    void shouldRebuildOnlyWhenTheGenerationChangesAndScrubSecretsFromMessages() {
        CloudRegistry.CloudState first = registry.configure(cloud("c", "{type: filesystem, root: '" + dir + "/a'}", 1, "eu"));
        CloudRegistry.CloudState same = registry.configure(cloud("c", "{type: filesystem, root: '" + dir + "/a'}", 1, "cn"));
        assertThat(same.store()).isSameAs(first.store());
        assertThat(same.jurisdiction()).isEqualTo("cn");
        CloudRegistry.CloudState next = registry.configure(cloud("c", "{type: filesystem, root: '" + dir + "/b'}", 2, "cn"));
        assertThat(next.store()).isNotSameAs(first.store());

        registry.configure(cloud("s", "{type: s3, endpoint: 'http://127.0.0.1:9', region: us-east-1, accessKey: AKIAEXAMPLE,"
                + " secretKey: '${LONG_SECRET}'}", 1, null));
        assertThat(registry.scrub("s", "signature for s3cr3t-value-xyz was wrong")).isEqualTo("signature for ****** was wrong");
    }

    @Test
    void shouldPreferThePrimaryThenTheFirstListedCopyOfSimilarLatency() {
        for (String n : List.of("one", "two", "three")) {
            registry.configure(cloud(n, "{type: filesystem, root: '" + dir + "/" + n + "'}", 1, n.equals("three") ? "cn" : "eu"));
            registry.recordHealth(n, registry.store(n), StoreHealth.up(Duration.ofMillis(n.equals("one") ? 40 : 5)));
        }
        CopySelector selector = new CopySelector(registry);
        LogicalBucketSpec spec = bucket(null, null);
        assertThat(selector.forWrite("lb", spec)).extracting(CopySelector.Copy::cloud).containsExactly("one", "two", "three");
        assertThat(selector.forWrite("lb", bucket("two", null))).extracting(CopySelector.Copy::cloud)
                .containsExactly("two", "one", "three");
        assertThat(selector.forRead("lb", bucket(null, "[eu]"))).extracting(CopySelector.Copy::cloud)
                .containsExactly("one", "two");
        assertThat(selector.forRead("lb", bucket("two", null))).as("reads start where writes go")
                .extracting(CopySelector.Copy::cloud).containsExactly("two", "one", "three");

        registry.recordHealth("one", registry.store("one"), StoreHealth.up(Duration.ofMillis(900)));
        assertThat(selector.forWrite("lb", spec).get(0).cloud()).as("a much slower cloud loses its place").isEqualTo("two");
        registry.recordHealth("two", registry.store("two"), StoreHealth.down(Duration.ofMillis(1), ErrorCode.UNAVAILABLE, "down"));
        assertThat(selector.forWrite("lb", spec)).extracting(CopySelector.Copy::cloud).containsExactly("three", "one");
        assertThat(selector.forRead("lb", spec)).extracting(CopySelector.Copy::cloud).containsExactly("three", "one", "two");

        registry.recordHealth("one", registry.store("one"), StoreHealth.down(Duration.ofMillis(1), ErrorCode.ACCESS_DENIED, "no"));
        assertThatThrownBy(() -> selector.forWrite("lb", bucket(null, "[eu]")))
                .hasMessageContaining("lb has no healthy copy: one is down (SF-ACCESS-DENIED), two is down (SF-UNAVAILABLE),"
                        + " three is outside the residency policy");
    }

    static LogicalBucketSpec bucket(String primary, String residency) {
        Resource r = Manifests.read("test", "apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: lb}\nspec:\n"
                + "  providers:\n    - {cloud: one, physicalId: p-one}\n    - {cloud: two, physicalId: p-two}\n"
                + "    - {cloud: three, physicalId: p-three}\n"
                + (primary != null ? "  primary: " + primary + "\n" : "")
                + (residency != null ? "  residency: {allowed: " + residency + "}\n" : "")).get(0);
        return Kinds.spec(r, LogicalBucketSpec.class);
    }
}
