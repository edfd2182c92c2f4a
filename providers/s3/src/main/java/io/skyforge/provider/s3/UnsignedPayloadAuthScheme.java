package io.skyforge.provider.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that declares request bodies unsigned ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}) over plain
 * http too (option {@code unsigned_payload}). Over https the SDK already sends S3 bodies unsigned; over http it
 * insists on hashing every body before sending it (a second read of the whole body) and the server then hashes it
 * again to check. Our uploads are hashed anyway (their SHA-256 goes into {@code skyforge_sha256}, and replication
 * checks it against the version's), so on a loopback or private link the two extra passes only cost CPU: for a
 * 16 MiB object they were a third of what replication spent. rclone uploads single-part objects this way too.
 * Headers, metadata included, stay signed.
 */
final class UnsignedPayloadAuthScheme implements AuthScheme<AwsCredentialsIdentity> {

    private final AwsV4AuthScheme standard = AwsV4AuthScheme.create();
    private final HttpSigner<AwsCredentialsIdentity> signer = new Signer(standard.signer());

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return standard.identityProvider(providers);
    }

    @Override
    public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
    }

    private record Signer(HttpSigner<AwsCredentialsIdentity> standard) implements HttpSigner<AwsCredentialsIdentity> {

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            ContentStreamProvider body = request.payload().orElse(null);
            SignedRequest signed = standard.sign(withoutBody(request));
            return signed.toBuilder().payload(body).build();
        }

        /**
         * The signer hashes a body it is given whenever the request is not https, whatever the payload-signing
         * property says; without one it takes the property at its word and signs UNSIGNED-PAYLOAD.
         */
        private static <I extends AwsCredentialsIdentity> SignRequest<I> withoutBody(SignRequest<I> request) {
            return request.toBuilder().payload(null).putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false).build();
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            // This adapter's client is synchronous; an asynchronous caller gets the standard behaviour.
            return standard.signAsync(request);
        }
    }
}
