package io.skyforge.provider.azure;

import com.azure.storage.blob.models.BlobStorageException;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.HttpStatusErrors;

/** Maps Azure Blob answers onto the stable error codes. */
final class AzureErrors {

    private AzureErrors() {
    }

    static SkyforgeException map(String cloud, String what, RuntimeException e) {
        if (e instanceof SkyforgeException s) {
            return s;
        }
        if (e instanceof BlobStorageException b) {
            String code = b.getErrorCode() == null ? "" : b.getErrorCode().toString();
            // The service's message repeats the request id and time; the first line says what is wrong.
            String detail = b.getServiceMessage() == null ? "HTTP " + b.getStatusCode() : b.getServiceMessage().lines().findFirst().orElse("");
            return new SkyforgeException(codeFor(b.getStatusCode(), code), cloud + ": " + what + ": "
                    + (code.isEmpty() ? "" : code + ": ") + detail, e);
        }
        // The JDK client reports refused connections and timeouts as (wrapped) IOExceptions.
        return new SkyforgeException(ErrorCode.UNAVAILABLE, cloud + ": " + what + ": " + rootMessage(e), e);
    }

    static ErrorCode codeFor(int status, String code) {
        switch (code) {
            case "ContainerNotFound":
            case "ContainerBeingDeleted":
                return code.equals("ContainerNotFound") ? ErrorCode.BUCKET_NOT_FOUND : ErrorCode.CONFLICT;
            case "BlobNotFound":
                return ErrorCode.NOT_FOUND;
            case "ConditionNotMet":
            case "BlobAlreadyExists":
            case "TargetConditionNotMet":
                return ErrorCode.PRECONDITION_FAILED;
            case "AuthenticationFailed":
            case "AuthorizationFailure":
            case "AuthorizationPermissionMismatch":
            case "InsufficientAccountPermissions":
                return ErrorCode.ACCESS_DENIED;
            case "ServerBusy":
                return ErrorCode.THROTTLED;
            case "InvalidRange":
            case "InvalidResourceName":
            case "OutOfRangeInput":
                return ErrorCode.VALIDATION;
            default:
                break;
        }
        // Azure answers 409 for state conflicts (lease held, being deleted) whatever the error code
        return status == 409 ? ErrorCode.CONFLICT : HttpStatusErrors.code(status);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
