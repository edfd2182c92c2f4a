package io.skyforge.provider.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

    @Test
    void shouldBeFoundByServiceLoaderAsS3() {
        assertThat(ObjectStores.factory("s3")).isInstanceOf(S3ObjectStoreFactory.class);
    }

    @Test
    void shouldReportEveryConfigProblemTogetherWithoutTheSecret() {
        ObjectStoreConfig c = ObjectStoreConfig.builder("s3").name("cloud_a_oss").endpoint("oss.cloud-a.com")
                .secretKey("s3cr3t-value").option("part_size", "1MiB").option("concurrency", "0").option("colour", "blue").build();
        assertThat(ObjectStores.validate(c)).extracting(Violation::path)
                .containsExactlyInAnyOrder("endpoint", "accessKey", "options.partSize", "options.concurrency", "options.colour");
        assertThatThrownBy(() -> ObjectStores.open(c)).isInstanceOfSatisfying(SkyforgeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
            assertThat(e.getMessage()).contains("cloud_a_oss").doesNotContain("s3cr3t-value");
        });
    }

    @Test
    void shouldDefaultToPathStyleUsEast1AndConditionalWritesOnlyOnAws() {
        try (ObjectStore s = ObjectStores.open(ObjectStoreConfig.builder("s3").endpoint("http://127.0.0.1:9")
                .accessKey("a").secretKey("b").build())) {
            assertThat(s.capabilities().conditionalCreate()).as("an unknown endpoint may ignore If-None-Match").isFalse();
            assertThat(s.capabilities().presignedUrls()).isTrue();
            assertThat(s.capabilities().sha256OnHead()).isFalse();
        }
        try (ObjectStore s = ObjectStores.open(ObjectStoreConfig.builder("s3").region("eu-west-1")
                .accessKey("a").secretKey("b").build())) {
            assertThat(s.capabilities().conditionalCreate()).isTrue();
            assertThat(s.capabilities().conditionalReplace()).isTrue();
        }
        assertThat(S3Settings.from(ObjectStoreConfig.builder("s3").endpoint("http://127.0.0.1:9000")
                .option("conditional_writes", "true").build(), new java.util.ArrayList<>()).conditionalWrites()).isTrue();
        S3Settings settings = S3Settings.from(ObjectStoreConfig.builder("s3").build(), new java.util.ArrayList<>());
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.partSize()).isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void shouldMapS3ErrorVocabularyOntoStableCodes() {
        assertThat(S3Errors.codeFor(404, "NoSuchBucket")).isEqualTo(ErrorCode.BUCKET_NOT_FOUND);
        assertThat(S3Errors.codeFor(404, "NoSuchKey")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(S3Errors.codeFor(403, "SignatureDoesNotMatch")).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(S3Errors.codeFor(412, "PreconditionFailed")).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(S3Errors.codeFor(409, "ConditionalRequestConflict")).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(S3Errors.codeFor(503, "SlowDown")).isEqualTo(ErrorCode.THROTTLED);
        assertThat(S3Errors.codeFor(503, "")).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(S3Errors.codeFor(400, "InvalidBucketName")).isEqualTo(ErrorCode.VALIDATION);
        assertThat(S3Errors.codeFor(409, "BucketNotEmpty")).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ErrorCode.THROTTLED.retryable()).isTrue();
        assertThat(S3Errors.codeFor(400, "BadDigest")).isEqualTo(ErrorCode.IO);
    }

    @Test
    void shouldTakeAnEtagForTheContentMd5OnlyWhenItIsOne() {
        String md5 = "0123456789abcdef0123456789abcdef";
        assertThat(S3ObjectStore.md5OfEtag("\"" + md5 + "\"", null, null)).isEqualTo(md5);
        assertThat(S3ObjectStore.md5OfEtag(md5, ServerSideEncryption.AES256, null)).isEqualTo(md5);
        assertThat(S3ObjectStore.md5OfEtag(md5 + "-3", null, null)).as("multipart").isNull();
        assertThat(S3ObjectStore.md5OfEtag(md5, ServerSideEncryption.AWS_KMS, null)).isNull();
        assertThat(S3ObjectStore.md5OfEtag(md5, null, "AES256")).as("customer key").isNull();
    }

    @Test
    void shouldBoundTheMultipartThreshold() {
        assertThat(S3Settings.validate(ObjectStoreConfig.builder("s3").option("multipartThreshold", "1MiB").build()))
                .extracting(Violation::path).containsExactly("options.multipartThreshold");
        assertThat(S3Settings.validate(ObjectStoreConfig.builder("s3").option("multipart_threshold", "128MiB").build())).isEmpty();
    }
}
