package io.skyforge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {

    @Test
    void shouldWriteYamlThatReadsBackToTheSameResource() {
        Resource r = Manifests.read("a.yaml", """
                apiVersion: data.mcp/v1
                kind: Dataset
                metadata:
                  name: shop
                  namespace: team-a
                  labels: {classification: pii, "app.kubernetes.io/name": shop}
                spec:
                  description: "yes"
                  seed: 42
                  tables:
                    - name: users
                      rows: 1000
                """).get(0);
        String yaml = ResourceCodec.toYaml(ResourceJson.write(r));
        assertThat(yaml).startsWith("apiVersion: data.mcp/v1\nkind: Dataset\nmetadata:\n");
        List<Resource> back = Manifests.read("b.yaml", yaml);
        assertThat(back).containsExactly(r);
        String json = ResourceCodec.toJson(ResourceJson.write(r));
        assertThat(Manifests.read("c.json", json)).containsExactly(r);
    }
}
