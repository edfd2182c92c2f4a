package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;

/**
 * What a store really does. The compatibility kit holds every adapter to its answer: a capability
 * claimed must work, one denied must fail with {@code SF-UNSUPPORTED} rather than be ignored.
 *
 * @param conditionalCreate  {@link Precondition#IF_ABSENT} is checked atomically with the write
 * @param conditionalReplace {@link Precondition#ifMatch} is checked atomically with the write
 * @param serverSideCopy     {@link ObjectStore#copy} does not move the bytes through this process
 * @param presignedUrls      {@link ObjectStore#presign} works
 * @param multipartUpload    large puts go up as parts/blocks in parallel
 * @param sha256OnHead       {@link ObjectStore#head} returns the SHA-256 of every object this adapter wrote
 * @param contentMd5Check    a put with {@link PutOptions#contentMd5} is checked by the backend (S3's
 *                           {@code Content-MD5}) without this process hashing the bytes
 * @param maxKeyBytes        longest key in UTF-8 bytes
 * @param maxObjectBytes     largest object a put accepts
 */
public record ObjectStoreCapabilities(
        boolean conditionalCreate,
        boolean conditionalReplace,
        boolean serverSideCopy,
        boolean presignedUrls,
        boolean multipartUpload,
        boolean sha256OnHead,
        boolean contentMd5Check,
        int maxKeyBytes,
        long maxObjectBytes) {

    public ObjectStoreCapabilities {
        if (maxKeyBytes < 1 || maxKeyBytes > ObjectKeys.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("maxKeyBytes must be 1.." + ObjectKeys.MAX_KEY_BYTES);
        }
        if (maxObjectBytes < 1) {
            throw new IllegalArgumentException("maxObjectBytes must be positive");
        }
    }

    /**
     * Fails with {@code SF-UNSUPPORTED} when a put asks for something this store cannot honour, so that a
     * check the caller relies on is never silently skipped.
     *
     * @param store how to name the store in the message (its cloud)
     */
    public void requireSupported(PutOptions options, String store) {
        if (!supports(options.precondition())) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, store + ": conditional writes (" + options.precondition().kind()
                    + ") are not supported by this store");
        }
        if (options.contentMd5() != null && !contentMd5Check) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, store + ": this store cannot have its backend check a Content-MD5");
        }
    }

    /** Whether a write with {@code p} can be honoured. */
    public boolean supports(Precondition p) {
        return switch (p.kind()) {
            case NONE -> true;
            case IF_ABSENT -> conditionalCreate;
            case IF_MATCH -> conditionalReplace;
        };
    }
}
