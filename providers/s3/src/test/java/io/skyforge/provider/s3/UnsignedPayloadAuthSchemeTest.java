package io.skyforge.provider.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class UnsignedPayloadAuthSchemeTest {

    private static final byte[] BODY = "sixteen MiB, say".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignAPlainHttpPutWithoutReadingItsBody() {
        int[] opened = {0};
        ContentStreamProvider body = () -> {
            opened[0]++;
            return new java.io.ByteArrayInputStream(BODY);
        };
        SignedRequest signed = new UnsignedPayloadAuthScheme().signer().sign(request(body));
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(signed.request().firstMatchingHeader("Authorization")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("AWS4-HMAC-SHA256 Credential=key/").contains("x-amz-meta-colour"));
        assertThat(signed.payload()).as("the body goes out as given").containsSame(body);
        assertThat(opened[0]).as("nothing read the body to hash it").isZero();
    }

    @Test
    void shouldLeaveTheStandardSignerHashingPlainHttpBodies() {
        SignedRequest signed = AwsV4HttpSigner.create().sign(request(() -> new java.io.ByteArrayInputStream(BODY)));
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValueSatisfying(h ->
                assertThat(h).as("what the option saves: a hash of every body").hasSize(64));
    }

    private static SignRequest<AwsCredentialsIdentity> request(ContentStreamProvider body) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http").host("127.0.0.1").port(9000)
                .encodedPath("/bucket/key").putHeader("Content-Length", Integer.toString(BODY.length))
                .putHeader("x-amz-meta-colour", "blue").build();
        return SignRequest.builder(AwsCredentialsIdentity.create("key", "secret")).request(http).payload(body)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false).putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .build();
    }
}
