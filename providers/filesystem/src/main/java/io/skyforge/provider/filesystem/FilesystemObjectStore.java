package io.skyforge.provider.filesystem;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreCapabilities;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.PartPump;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Buckets as directories under a root, objects as plain files (so a person can browse them), with
 * each object's metadata in a sidecar file under the bucket's hidden {@value #RESERVED} directory,
 * which mirrors the data tree and which listings skip.
 *
 * <p>A write streams to a temporary file in the same bucket, then, under the key's lock, checks its
 * precondition and renames the sidecar and the data into place: readers see the old object or the
 * new one, never a part, and of two racing conditional writers exactly one wins. Keys map to paths
 * segment by segment; {@link ObjectKeys} already refuses {@code ..}, absolute keys and NUL, and every
 * resolved path is checked again to stay inside the bucket, symbolic links included.
 *
 * <p>Limits a directory tree imposes: a key cannot both be an object and the prefix of another
 * ({@code a} and {@code a/b}), which fails with {@code SF-CONFLICT}, and no key segment may exceed
 * 255 bytes. Files placed in a bucket by hand are objects too; their ETag is derived from size and
 * modification time until Skyforge rewrites them.
 */
public final class FilesystemObjectStore implements ObjectStore {

    static final String RESERVED = ".skyforge";
    private static final int NAME_MAX = 255;
    private static final int BUFFER = 256 * 1024;
    private static final Comparator<String> UTF8_ORDER = ObjectKeys.UTF8_ORDER;
    private static final ObjectStoreCapabilities CAPABILITIES = new ObjectStoreCapabilities(
            true, true, true, false, false, true, false, ObjectKeys.MAX_KEY_BYTES, Long.MAX_VALUE);

    private final String name;
    private final Path root;

    FilesystemObjectStore(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw io("cannot create root directory " + this.root, e);
        }
    }

    @Override
    public String type() {
        return FilesystemObjectStoreFactory.TYPE;
    }

    @Override
    public ObjectStoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    public Path root() {
        return root;
    }

    @Override
    public StoreHealth probe() {
        long start = System.nanoTime();
        if (!Files.isDirectory(root)) {
            return StoreHealth.down(since(start), ErrorCode.UNAVAILABLE, "root directory " + root + " does not exist");
        }
        if (!Files.isWritable(root)) {
            return StoreHealth.down(since(start), ErrorCode.ACCESS_DENIED, "root directory " + root + " is not writable");
        }
        return StoreHealth.up(since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(Math.max(1, System.nanoTime() - start));
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public boolean bucketExists(String bucket) {
        return Files.isDirectory(bucketDir(bucket));
    }

    @Override
    public boolean createBucket(String bucket) {
        Path dir = bucketDir(bucket);
        boolean created;
        try {
            Files.createDirectory(dir);
            created = true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new SkyforgeException(ErrorCode.CONFLICT, "cannot create bucket '" + bucket + "': a file of that name is in the way");
            }
            created = false;
        } catch (IOException e) {
            throw io("cannot create bucket '" + bucket + "'", e);
        }
        try {
            Files.createDirectories(dir.resolve(RESERVED).resolve("tmp"));
            Files.createDirectories(dir.resolve(RESERVED).resolve("meta"));
        } catch (IOException e) {
            throw io("cannot prepare bucket '" + bucket + "'", e);
        }
        return created;
    }

    @Override
    public void deleteBucket(String bucket) {
        Path dir = bucketDir(bucket);
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (!collectKeys(dir, "").isEmpty()) {
            throw new SkyforgeException(ErrorCode.CONFLICT, "bucket '" + bucket + "' is not empty");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw io("cannot delete bucket '" + bucket + "'", e);
        }
    }

    // ---------------------------------------------------------------- objects

    @Override
    public ObjectInfo put(String bucket, String key, InputStream data, PutOptions options) {
        ObjectKeys.validateMetadata(options.userMetadata());
        CAPABILITIES.requireSupported(options, name);
        Path dir = existingBucket(bucket);
        checkKey(dir, key);
        Path tmp = newTempFile(dir);
        try {
            MessageDigest sha = PartPump.sha256();
            long size = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                int n;
                while ((n = readBody(data, buffer)) > 0) {
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    size += n;
                }
            } catch (IOException e) {
                throw io("cannot write to " + tmp, e);
            }
            if (options.lengthKnown() && options.contentLength() != size) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "the body had " + size + " bytes but "
                        + options.contentLength() + " were declared; nothing was stored");
            }
            String sha256 = PartPump.hex(sha);
            ObjectInfo info = new ObjectInfo(key, size, sha256, Instant.now(), options.contentType(),
                    options.userMetadata(), sha256);
            return commit(dir, key, tmp, info, options.precondition());
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static int readBody(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "reading the upload body failed: " + e.getMessage(), e);
        }
    }

    /** Makes {@code tmp} the object {@code key}, if {@code precondition} holds at this instant. */
    private ObjectInfo commit(Path dir, String key, Path tmp, ObjectInfo info, Precondition precondition) {
        Path metaTmp = tmp.resolveSibling(tmp.getFileName() + ".meta");
        try {
            Sidecar.write(metaTmp, info);
            try (KeyLocks.Held held = locks(dir).lock(key)) {
                Path data = dataPath(dir, key);
                checkNoConflict(dir, key, data);
                Optional<ObjectInfo> current = readInfo(dir, key);
                switch (precondition.kind()) {
                    case IF_ABSENT -> {
                        if (current.isPresent()) {
                            throw new SkyforgeException(ErrorCode.PRECONDITION_FAILED, "key '" + key + "' already exists");
                        }
                    }
                    case IF_MATCH -> {
                        if (current.isEmpty() || !current.get().etag().equals(precondition.etag())) {
                            throw new SkyforgeException(ErrorCode.PRECONDITION_FAILED, "key '" + key + "' does not have ETag "
                                    + precondition.etag() + (current.isEmpty() ? " (it does not exist)" : ""));
                        }
                    }
                    case NONE -> { }
                }
                Path meta = metaPath(dir, key);
                moveIntoPlace(tmp, data, metaTmp, meta);
            }
            return info;
        } catch (IOException e) {
            throw io("cannot store '" + key + "'", e);
        } finally {
            deleteQuietly(metaTmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path data, Path metaTmp, Path meta) throws IOException {
        // A delete of a sibling key may prune a parent directory between our mkdir and rename; try again.
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectories(data.getParent());
                Files.createDirectories(meta.getParent());
                // Data first: a crash in between leaves new bytes with an old sidecar, which readInfo
                // detects by size and then describes from the file itself.
                Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(metaTmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        Path dir = existingBucket(bucket);
        checkKey(dir, key);
        ObjectInfo info;
        FileChannel channel;
        try (KeyLocks.Held held = locks(dir).lock(key)) {
            info = readInfo(dir, key).orElseThrow(() -> notFound(bucket, key));
            channel = FileChannel.open(dataPath(dir, key), StandardOpenOption.READ);
        } catch (IOException e) {
            throw io("cannot read '" + key + "'", e);
        }
        try {
            long size = info.size();
            if (range.offset() > 0 && range.offset() >= size) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "range " + range.httpHeader() + " starts past the end of '"
                        + key + "' (" + size + " bytes)");
            }
            long length = range.lengthWithin(size);
            channel.position(range.offset());
            return new ObjectContent(info, range.offset(), length, new BoundedInputStream(Channels.newInputStream(channel), length));
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw io("cannot read '" + key + "'", (IOException) e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        Path dir = existingBucket(bucket);
        checkKey(dir, key);
        try (KeyLocks.Held held = locks(dir).lock(key)) {
            return readInfo(dir, key);
        } catch (IOException e) {
            throw io("cannot read '" + key + "'", e);
        }
    }

    @Override
    public ListPage list(String bucket, ListRequest request) {
        Path dir = existingBucket(bucket);
        String prefix = request.prefix();
        List<String> keys = collectKeys(dir, prefix);
        List<String> entries = new ArrayList<>();
        List<Boolean> isPrefix = new ArrayList<>();
        for (String key : keys) {
            if (request.delimiter() != null) {
                int slash = key.indexOf('/', prefix.length());
                if (slash >= 0) {
                    String common = key.substring(0, slash + 1);
                    if (entries.isEmpty() || !entries.get(entries.size() - 1).equals(common)) {
                        entries.add(common);
                        isPrefix.add(true);
                    }
                    continue;
                }
            }
            entries.add(key);
            isPrefix.add(false);
        }
        int start = 0;
        if (request.token() != null) {
            while (start < entries.size() && UTF8_ORDER.compare(entries.get(start), request.token()) <= 0) {
                start++;
            }
        }
        int end = Math.min(entries.size(), start + request.maxKeys());
        List<ObjectSummary> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (int i = start; i < end; i++) {
            if (isPrefix.get(i)) {
                prefixes.add(entries.get(i));
            } else {
                String key = entries.get(i);
                try {
                    readInfo(dir, key).ifPresent(info -> objects.add(info.summary()));
                } catch (IOException e) {
                    // Deleted between the walk and now: a listing is not a snapshot, so leave it out.
                }
            }
        }
        return new ListPage(objects, prefixes, end < entries.size() ? entries.get(end - 1) : null);
    }

    @Override
    public void delete(String bucket, String key) {
        Path dir = existingBucket(bucket);
        checkKey(dir, key);
        try (KeyLocks.Held held = locks(dir).lock(key)) {
            Path data = dataPath(dir, key);
            if (Files.isDirectory(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.deleteIfExists(data);
            Path meta = metaPath(dir, key);
            Files.deleteIfExists(meta);
            prune(data.getParent(), dir);
            prune(meta.getParent(), dir.resolve(RESERVED).resolve("meta"));
        } catch (IOException e) {
            throw io("cannot delete '" + key + "'", e);
        }
    }

    @Override
    public ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        Path src = existingBucket(sourceBucket);
        checkKey(src, sourceKey);
        Path dst = existingBucket(targetBucket);
        checkKey(dst, targetKey);
        Path tmp = newTempFile(dst);
        try {
            ObjectInfo info;
            try (KeyLocks.Held held = locks(src).lock(sourceKey)) {
                info = readInfo(src, sourceKey).orElseThrow(() -> notFound(sourceBucket, sourceKey));
                Files.copy(dataPath(src, sourceKey), tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectInfo copied = new ObjectInfo(targetKey, info.size(), info.etag(), Instant.now(), info.contentType(),
                    info.userMetadata(), info.sha256());
            return commit(dst, targetKey, tmp, copied, Precondition.NONE);
        } catch (IOException e) {
            throw io("cannot copy '" + sourceKey + "'", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl) {
        throw new SkyforgeException(ErrorCode.UNSUPPORTED, "the filesystem store '" + name + "' has no URLs to presign; "
                + "serve its objects through the data API instead");
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    // ---------------------------------------------------------------- paths

    private Path bucketDir(String bucket) {
        ObjectKeys.validateBucket(bucket);
        return root.resolve(bucket);
    }

    private Path existingBucket(String bucket) {
        Path dir = bucketDir(bucket);
        if (!Files.isDirectory(dir)) {
            throw new SkyforgeException(ErrorCode.BUCKET_NOT_FOUND, "bucket '" + bucket + "' does not exist in " + name);
        }
        return dir;
    }

    private static void checkKey(Path dir, String key) {
        ObjectKeys.validateKey(key);
        String[] segments = key.split("/");
        if (segments[0].equals(RESERVED)) {
            throw new SkyforgeException(ErrorCode.INVALID_KEY, "keys under '" + RESERVED + "/' are reserved by the filesystem store");
        }
        for (String s : segments) {
            if (s.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                throw new SkyforgeException(ErrorCode.INVALID_KEY, "a key segment of the filesystem store may have at most "
                        + NAME_MAX + " bytes: '" + s.substring(0, 40) + "...'");
            }
        }
        Path p = dir.resolve(key).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new SkyforgeException(ErrorCode.INVALID_KEY, "key escapes its bucket");
        }
        ensureContained(dir, p);
    }

    /** A symbolic link inside the bucket must not lead outside it. */
    private static void ensureContained(Path dir, Path p) {
        try {
            Path bucketReal = dir.toRealPath();
            for (Path q = p; q != null && q.startsWith(dir); q = q.getParent()) {
                if (Files.exists(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    if (!q.toRealPath().startsWith(bucketReal)) {
                        throw new SkyforgeException(ErrorCode.INVALID_KEY, "key resolves outside its bucket through a link");
                    }
                    return;
                }
            }
        } catch (IOException e) {
            throw io("cannot resolve key path", e);
        }
    }

    private static Path dataPath(Path dir, String key) {
        return dir.resolve(key);
    }

    private static Path metaPath(Path dir, String key) {
        return dir.resolve(RESERVED).resolve("meta").resolve(key);
    }

    private static KeyLocks locks(Path dir) {
        return new KeyLocks(dir.resolve(RESERVED).resolve("locks"));
    }

    private static Path newTempFile(Path dir) {
        try {
            Path tmpDir = dir.resolve(RESERVED).resolve("tmp");
            Files.createDirectories(tmpDir);
            return Files.createTempFile(tmpDir, "put-", ".part");
        } catch (IOException e) {
            throw io("cannot create a temporary file", e);
        }
    }

    private static void checkNoConflict(Path dir, String key, Path data) {
        for (Path p = data.getParent(); p != null && !p.equals(dir); p = p.getParent()) {
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new SkyforgeException(ErrorCode.CONFLICT, "cannot store '" + key + "' on the filesystem store: '"
                        + dir.relativize(p) + "' is an object, and a directory tree cannot hold both");
            }
        }
        if (Files.isDirectory(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new SkyforgeException(ErrorCode.CONFLICT, "cannot store '" + key + "' on the filesystem store: "
                    + "other objects have it as their prefix '" + key + "/'");
        }
    }

    /** The object's description, from its sidecar, or from the file itself when there is none. */
    private static Optional<ObjectInfo> readInfo(Path dir, String key) throws IOException {
        Path data = dataPath(dir, key);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(data, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            // ENOTDIR: a parent segment is an object file, so this key cannot exist.
            if (e instanceof NoSuchFileException || "Not a directory".equals(e.getReason())) {
                return Optional.empty();
            }
            throw e;
        }
        if (!attrs.isRegularFile()) {
            return Optional.empty();
        }
        Path meta = metaPath(dir, key);
        if (Files.isRegularFile(meta)) {
            try {
                ObjectInfo info = Sidecar.read(meta);
                if (info.size() == attrs.size()) {
                    return Optional.of(new ObjectInfo(key, info.size(), info.etag(), info.lastModified(),
                            info.contentType(), info.userMetadata(), info.sha256()));
                }
            } catch (NoSuchFileException e) {
                // Deleted since we looked; fall through to the file's own description.
            }
        }
        Instant modified = attrs.lastModifiedTime().toInstant();
        String etag = "fs-" + Long.toHexString(attrs.size()) + "-" + Long.toHexString(modified.getEpochSecond())
                + Integer.toHexString(modified.getNano());
        return Optional.of(new ObjectInfo(key, attrs.size(), etag, modified, null, null, null));
    }

    /** Every object key under {@code prefix}, in UTF-8 byte order. */
    private static List<String> collectKeys(Path dir, String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path start = dir;
        if (slash > 0) {
            String[] parents = prefix.substring(0, slash).split("/", -1);
            for (String s : parents) {
                // No key has such a segment, so nothing can match, and the path must not be walked.
                if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\0') >= 0) {
                    return List.of();
                }
            }
            start = dir.resolve(prefix.substring(0, slash)).normalize();
            if (!start.startsWith(dir)) {
                return List.of();
            }
        }
        if (!Files.isDirectory(start, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Path reserved = dir.resolve(RESERVED);
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.equals(reserved) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        String key = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                        if (key.startsWith(prefix)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Removed while we walked: listings are not snapshots.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw io("cannot list " + start, e);
        }
        keys.sort(UTF8_ORDER);
        return keys;
    }

    private static void prune(Path from, Path stop) throws IOException {
        for (Path p = from; p != null && p.startsWith(stop) && !p.equals(stop); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A stray temp file in .skyforge/tmp is harmless and never listed.
        }
    }

    private static SkyforgeException notFound(String bucket, String key) {
        return new SkyforgeException(ErrorCode.NOT_FOUND, "object '" + key + "' not found in bucket '" + bucket + "'");
    }

    private static SkyforgeException io(String message, IOException e) {
        ErrorCode code = e instanceof AccessDeniedException ? ErrorCode.ACCESS_DENIED : ErrorCode.IO;
        return new SkyforgeException(code, message + ": " + e, e);
    }
}
