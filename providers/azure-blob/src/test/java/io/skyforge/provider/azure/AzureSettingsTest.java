package io.skyforge.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {

    @Test
    void shouldBeFoundByServiceLoaderAsAzureBlob() {
        assertThat(ObjectStores.factory("azure-blob")).isInstanceOf(AzureBlobObjectStoreFactory.class);
    }

    @Test
    void shouldReportEveryConfigProblemWithoutTheKey() {
        ObjectStoreConfig c = ObjectStoreConfig.builder("azure-blob").name("cloud_b").accountName("Bad_Name")
                .accountKey("not base64 !!! secret").pathStyle(true).option("block_size", "1KiB").build();
        assertThat(ObjectStores.validate(c)).extracting(Violation::path)
                .containsExactlyInAnyOrder("accountName", "accountKey", "options.blockSize", "pathStyle");
        assertThatThrownBy(() -> ObjectStores.open(c)).isInstanceOfSatisfying(SkyforgeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
            assertThat(e.getMessage()).doesNotContain("secret");
        });
    }

    @Test
    void shouldDefaultToThePublicEndpointOfTheAccount() {
        AzureSettings s = AzureSettings.from(ObjectStoreConfig.builder("azure-blob").accountName("acme01")
                .accountKey("c2VjcmV0").build(), new ArrayList<>());
        assertThat(s.endpoint()).isEqualTo("https://acme01.blob.core.windows.net");
        assertThat(s.toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void shouldMapAzureErrorVocabularyOntoStableCodes() {
        assertThat(AzureErrors.codeFor(404, "ContainerNotFound")).isEqualTo(ErrorCode.BUCKET_NOT_FOUND);
        assertThat(AzureErrors.codeFor(404, "BlobNotFound")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(AzureErrors.codeFor(409, "BlobAlreadyExists")).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(AzureErrors.codeFor(412, "ConditionNotMet")).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(AzureErrors.codeFor(403, "AuthenticationFailed")).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(AzureErrors.codeFor(503, "ServerBusy")).isEqualTo(ErrorCode.THROTTLED);
        assertThat(AzureErrors.codeFor(500, "InternalError")).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
