package io.skyforge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.core.secret.SecretCipher;
import io.skyforge.core.secret.Secrets;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    private static Resource cloud(String secret) {
        return Manifests.read("c.yaml", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: c}\n"
                + "spec: {type: s3, accessKey: AK, secretKey: '" + secret + "'}\n").get(0);
    }

    @Test
    void shouldEncryptLiteralSecretsAndRedactThemForTheApi() {
        SecretCipher cipher = SecretCipher.forDataDir(dir, null);
        Resource stored = Secrets.encrypt(cloud("s3cr3t"), null, cipher);
        String storedValue = stored.spec().get("secretKey").asString();
        assertThat(storedValue).startsWith(SecretCipher.PREFIX).doesNotContain("s3cr3t");
        assertThat(Secrets.redact(stored).spec().get("secretKey").asString()).isEqualTo(Secrets.REDACTED);
        assertThat(Secrets.decrypt(stored, cipher).spec().get("secretKey").asString()).isEqualTo("s3cr3t");
        assertThat(Secrets.redact(stored).spec().get("accessKey").asString()).isEqualTo("AK");
    }

    @Test
    void shouldKeepTheStoredSecretWhenAClientSendsBackTheRedactedValue() {
        SecretCipher cipher = SecretCipher.forDataDir(dir, null);
        Resource stored = Secrets.encrypt(cloud("s3cr3t"), null, cipher);
        Resource echoed = Secrets.encrypt(cloud(Secrets.REDACTED), stored, cipher);
        assertThat(Secrets.decrypt(echoed, cipher).spec().get("secretKey").asString()).isEqualTo("s3cr3t");
    }

    @Test
    void shouldStoreVariableReferencesAsWritten() {
        SecretCipher cipher = SecretCipher.forDataDir(dir, null);
        Resource stored = Secrets.encrypt(cloud("${CLOUD_SECRET}"), null, cipher);
        assertThat(stored.spec().get("secretKey").asString()).isEqualTo("${CLOUD_SECRET}");
        assertThat(Secrets.redact(stored).spec().get("secretKey").asString()).isEqualTo("${CLOUD_SECRET}");
    }

    @Test
    void shouldCreateTheKeyFileReadableOnlyByTheOwner() throws Exception {
        SecretCipher.forDataDir(dir, null);
        assertThat(Files.getPosixFilePermissions(dir.resolve("secret.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void shouldNameTheMissingVariable() {
        EnvReferences env = EnvReferences.of(Map.of("A", "1"));
        assertThat(env.resolve("x-${A}-$${LIT}", "here")).isEqualTo("x-1-${LIT}");
        assertThatThrownBy(() -> env.resolve("${ENV_CLOUD_A_KEY}", "Cloud cloud_a_oss spec.accessKey"))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageContaining("ENV_CLOUD_A_KEY")
                .hasMessageContaining("Cloud cloud_a_oss spec.accessKey")
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.MISSING_VARIABLE));
    }

    @Test
    void shouldReadVariablesFromTheSecretsDirectory() throws Exception {
        Files.writeString(dir.resolve("TOKEN"), "from-file\n");
        EnvReferences env = new EnvReferences(n -> null, dir);
        assertThat(env.resolve("${TOKEN}", "x")).isEqualTo("from-file");
        assertThat(env.missing("${TOKEN}${OTHER}")).containsExactly("OTHER");
    }
}
