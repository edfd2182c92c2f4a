package io.skyforge.provider.s3;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.HttpStatusErrors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps S3 answers onto the stable error codes; the one place that knows S3's error vocabulary. */
final class S3Errors {

    private S3Errors() {
    }

    static SkyforgeException map(String cloud, String what, SdkException e) {
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? "" : s.awsErrorDetails().errorCode();
            String detail = s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
                    ? "HTTP " + status : s.awsErrorDetails().errorMessage();
            String msg = cloud + ": " + what + ": " + (code.isEmpty() ? "" : code + ": ") + detail;
            return new SkyforgeException(codeFor(status, code), msg, e);
        }
        if (e instanceof SdkClientException) {
            // Connection refused, DNS failure, timeouts: the endpoint is not answering.
            return new SkyforgeException(ErrorCode.UNAVAILABLE, cloud + ": " + what + ": " + e.getMessage(), e);
        }
        return new SkyforgeException(ErrorCode.EXTERNAL, cloud + ": " + what + ": " + e.getMessage(), e);
    }

    static ErrorCode codeFor(int status, String code) {
        switch (code) {
            case "NoSuchBucket":
                return ErrorCode.BUCKET_NOT_FOUND;
            case "NoSuchKey":
            case "NoSuchUpload":
                return ErrorCode.NOT_FOUND;
            case "AccessDenied":
            case "InvalidAccessKeyId":
            case "SignatureDoesNotMatch":
            case "InvalidSecurity":
            case "ExpiredToken":
            case "RequestTimeTooSkewed":
                return ErrorCode.ACCESS_DENIED;
            case "PreconditionFailed":
            case "ConditionalRequestConflict":
                return ErrorCode.PRECONDITION_FAILED;
            case "SlowDown":
            case "Throttling":
            case "ThrottlingException":
            case "RequestLimitExceeded":
            case "TooManyRequests":
                return ErrorCode.THROTTLED;
            case "InvalidBucketName":
                return ErrorCode.VALIDATION;
            case "KeyTooLongError":
                return ErrorCode.INVALID_KEY;
            case "InvalidRange":
                return ErrorCode.VALIDATION;
            case "BucketNotEmpty":
            case "BucketAlreadyExists":
            case "OperationAborted":
                return ErrorCode.CONFLICT;
            case "NotImplemented":
                return ErrorCode.UNSUPPORTED;
            case "BadDigest":
            case "XAmzContentSHA256Mismatch":
                // The bytes that arrived are not the ones the request vouched for (Content-MD5, payload hash): a
                // transfer that went wrong, worth another try; nothing was stored.
                return ErrorCode.IO;
            default:
                break;
        }
        // S3 answers 501 for features it lacks; anything else falls back on the status as every backend does
        return status == 501 ? ErrorCode.UNSUPPORTED : HttpStatusErrors.code(status);
    }
}
