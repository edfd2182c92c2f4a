package io.skyforge.cli;

import io.skyforge.testkit.storage.S3ProxyServer;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads a physical bucket straight from its S3 endpoint with the AWS SDK: the outside witness of what sync did. */
final class PhysicalBuckets {

    private PhysicalBuckets() {
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(S3ProxyServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY,
                        S3ProxyServer.SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The object's description, or null when absent. */
    static HeadObjectResponse head(S3Client s3, String bucket, String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** {@code <hlc>@<origin>} from the sync engine's metadata, or null when the key is absent. */
    static String versionOn(S3Client s3, String bucket, String key) {
        HeadObjectResponse h = head(s3, bucket, key);
        return h == null ? null : h.metadata().get("sync_hlc") + "@" + h.metadata().get("sync_origin");
    }

    static Set<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
