package io.skyforge.server.data;

import io.skyforge.control.bucket.CopySelector;
import io.skyforge.control.bucket.CopySelector.Copy;
import io.skyforge.control.journal.JournalEntry;
import io.skyforge.control.journal.WriteJournal;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.control.sync.ReplicationController;
import io.skyforge.control.sync.ReplicationController.Replica;
import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.sync.replication.WriteResult;
import io.skyforge.sync.version.Version;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The data API of logical buckets (DESIGN.md §4, docs/storage.md). Bodies stream straight between
 * the client and the chosen cloud, never held whole in memory: a PUT goes to the preferred healthy
 * copy and is journaled; GET/HEAD read the best copy and fall back to the next on failure;
 * {@code ?redirect=true} hands out a presigned (S3) or SAS (Azure) URL instead of the bytes.
 *
 * <p>In a replicated bucket (docs/sync.md) writes and deletes go through the bucket's {@code BucketWriter},
 * so each carries a hybrid-logical-clock version and its origin cloud, and the sync engine's tombstone
 * markers are never shown as objects.
 */
@RestController
@Tag(name = "data", description = "objects in logical buckets")
public class DataController {

    static final String BASE = "/data/v1/namespaces/{ns}/buckets/{bucket}/objects";
    static final Duration REDIRECT_TTL = Duration.ofMinutes(15);
    /** {@code <hlc>@<origin>}: the sync engine's version of the object (replicated buckets only). */
    static final String VERSION_HEADER = "x-skyforge-version";
    private static final int BUFFER = 64 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ResourceStore store;
    private final CopySelector selector;
    private final WriteJournal journal;
    private final UploadBudget budget;
    private final ReplicationController sync;
    private final Clock clock;
    private static final int MAX_CACHED_TARGETS = 1024;
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> targets = new java.util.concurrent.ConcurrentHashMap<>();

    public DataController(ResourceStore store, CopySelector selector, WriteJournal journal, UploadBudget budget,
                          ReplicationController sync) {
        this.store = Objects.requireNonNull(store, "store");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.clock = Clock.systemUTC();
    }

    @PutMapping(BASE + "/{*key}")
    @Operation(summary = "Upload an object (streamed to the preferred healthy copy, versioned when replicated, then journaled)")
    public void put(@PathVariable String ns, @PathVariable String bucket,
                    @Parameter(description = "object key; may contain '/'") @PathVariable String key,
                    @RequestParam(required = false) Boolean redirect,
                    @Parameter(description = "write through this cloud's copy instead of the preferred one")
                    @RequestParam(required = false) String cloud,
                    HttpServletRequest request, HttpServletResponse response) throws IOException {
        Target t = target(ns, bucket);
        String k = key(key);
        if (Boolean.TRUE.equals(redirect)) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "redirect=true is for GET and HEAD: an upload through a "
                    + "presigned URL would bypass the write journal, so PUT through this API");
        }
        Optional<Replica> replica = sync.replica(t.bucket());
        Copy copy = writeCopy(t, replica, cloud);
        long declared = request.getContentLengthLong();
        PutOptions options = PutOptions.defaults().withContentType(request.getContentType())
                .withContentLength(declared >= 0 ? declared : PutOptions.UNKNOWN_LENGTH)
                .withPrecondition(precondition(request));
        RequestBody body = new RequestBody(request.getInputStream());
        ObjectInfo info;
        Version version = null;
        try (UploadBudget.Lease lease = budget.acquire(declared)) {
            if (replica.isPresent()) {
                WriteResult w = replica.get().writer().put(copy.cloud(), k, body, options);
                info = w.info();
                version = w.version();
            } else {
                info = copy.store().put(copy.physicalBucket(), k, body, options);
            }
        } catch (SkyforgeException e) {
            if (body.failed() || (declared >= 0 && body.count() < declared && e.code() != ErrorCode.PRECONDITION_FAILED
                    && !e.code().retryable())) {
                throw incomplete(request, body, declared, e);
            }
            throw e;
        } catch (RuntimeException e) {
            if (body.failed()) {
                throw incomplete(request, body, declared, e);
            }
            throw e;
        }
        JournalEntry entry = journal.append(JournalEntry.put(ns, bucket, k, info.etag(), info.size(), info.sha256(),
                copy.cloud(), copy.physicalBucket(), clock.instant()).withHlc(version == null ? null : version.hlc().encode()));
        ObjectNode out = describe(info, copy);
        out.put("journalPosition", entry.position());
        if (version != null) {
            out.put("version", version.id());
            response.setHeader(VERSION_HEADER, version.id());
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("ETag", quote(info.etag()));
        writeJson(response, out);
    }

    @GetMapping(BASE + "/{*key}")
    @Operation(summary = "Download an object (or a byte range) from the best healthy copy")
    public void get(@PathVariable String ns, @PathVariable String bucket, @PathVariable String key,
                    @RequestParam(required = false) Boolean redirect,
                    HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (key.isEmpty() || key.equals("/")) {
            list(ns, bucket, request.getParameter("prefix"), request.getParameter("delimiter"),
                    request.getParameter("limit"), request.getParameter("continue"), response);
            return;
        }
        Target t = target(ns, bucket);
        String k = key(key);
        if (Boolean.TRUE.equals(redirect)) {
            redirect(t, k, response);
            return;
        }
        String rangeHeader = request.getHeader("Range");
        SkyforgeException last = null;
        boolean allMissing = true;
        for (Copy copy : selector.forRead(t.ref(), t.spec())) {
            ObjectContent content;
            try {
                ByteRange range = parseRange(rangeHeader, copy, k);
                content = copy.store().get(copy.physicalBucket(), k, range);
            } catch (SkyforgeException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    continue;
                }
                if (e.code() == ErrorCode.VALIDATION && rangeHeader != null) {
                    throw new SkyforgeException(ErrorCode.RANGE_NOT_SATISFIABLE, "Range " + rangeHeader + ": " + e.getMessage());
                }
                if (!fallsBack(e)) {
                    throw e;
                }
                allMissing = false;
                last = e;
                continue;
            }
            try (content) {
                ObjectInfo info = content.info();
                if (deleted(info)) {
                    // The sync engine's tombstone: this copy has taken the newest delete of the key.
                    throw new SkyforgeException(ErrorCode.NOT_FOUND, "object '" + abbreviate(k) + "' not found in " + t.ref());
                }
                headers(response, info, copy);
                response.setContentLengthLong(content.length());
                if (content.partial() || rangeHeader != null) {
                    response.setStatus(206);
                    long end = content.offset() + content.length() - 1;
                    response.setHeader("Content-Range", "bytes " + content.offset() + "-" + end + "/" + info.size());
                } else {
                    response.setStatus(200);
                }
                copy(content.stream(), response.getOutputStream());
            }
            return;
        }
        throw notFoundOr(t, k, allMissing, last);
    }

    @RequestMapping(path = BASE + "/{*key}", method = RequestMethod.HEAD)
    @Operation(summary = "Describe an object: size, ETag, SHA-256 and which copy answered")
    public void head(@PathVariable String ns, @PathVariable String bucket, @PathVariable String key,
                     @RequestParam(required = false) Boolean redirect, HttpServletResponse response) {
        Target t = target(ns, bucket);
        String k = key(key);
        if (Boolean.TRUE.equals(redirect)) {
            redirect(t, k, response);
            return;
        }
        SkyforgeException last = null;
        boolean allMissing = true;
        for (Copy copy : selector.forRead(t.ref(), t.spec())) {
            try {
                var info = copy.store().head(copy.physicalBucket(), k);
                if (info.isPresent() && deleted(info.get())) {
                    break;
                }
                if (info.isPresent()) {
                    headers(response, info.get(), copy);
                    response.setContentLengthLong(info.get().size());
                    response.setStatus(200);
                    return;
                }
            } catch (SkyforgeException e) {
                if (!fallsBack(e)) {
                    throw e;
                }
                allMissing = false;
                last = e;
            }
        }
        throw notFoundOr(t, k, allMissing, last);
    }

    @DeleteMapping(BASE + "/{*key}")
    @Operation(summary = "Delete an object from every reachable copy (idempotent) and journal a tombstone")
    public void delete(@PathVariable String ns, @PathVariable String bucket, @PathVariable String key,
                       @Parameter(description = "delete through this cloud's copy instead of the preferred one")
                       @RequestParam(required = false) String cloud,
                       HttpServletResponse response) {
        Target t = target(ns, bucket);
        String k = key(key);
        Optional<Replica> replica = sync.replica(t.bucket());
        if (replica.isPresent()) {
            Copy origin = writeCopy(t, replica, cloud);
            WriteResult w = replica.get().writer().delete(origin.cloud(), k, Precondition.NONE);
            // The tombstone is durable on the origin; applying it to the other copies now (not in the
            // background) keeps a read right after the delete from finding the object elsewhere.
            replica.get().replicator().reconcileNow(k);
            journal.append(JournalEntry.delete(ns, bucket, k, origin.cloud(), origin.physicalBucket(), clock.instant())
                    .withHlc(w.version().hlc().encode()));
            response.setHeader(VERSION_HEADER, w.version().id());
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        List<Copy> writeOrder = selector.forWrite(t.ref(), t.spec());
        Copy origin = cloud == null ? writeOrder.get(0) : writeCopy(t, replica, cloud);
        origin.store().delete(origin.physicalBucket(), k);
        // Until the sync engine propagates the tombstone, a copy still holding the key would answer reads.
        for (Copy other : writeOrder) {
            if (other == origin) {
                continue;
            }
            try {
                other.store().delete(other.physicalBucket(), k);
            } catch (SkyforgeException e) {
                // The journal entry below records the delete for whoever reconciles this copy later.
            }
        }
        journal.append(JournalEntry.delete(ns, bucket, k, origin.cloud(), origin.physicalBucket(), clock.instant()));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @GetMapping(BASE)
    @Operation(summary = "List objects by prefix across every copy, one page at a time (follow `continue`)")
    public void list(@PathVariable String ns, @PathVariable String bucket,
                     @RequestParam(required = false) String prefix,
                     @Parameter(description = "'/' to roll keys up into prefixes") @RequestParam(required = false) String delimiter,
                     @RequestParam(required = false) String limit,
                     @RequestParam(name = "continue", required = false) String cont,
                     HttpServletResponse response) throws IOException {
        Target t = target(ns, bucket);
        int max = parseLimit(limit);
        if (delimiter != null && !delimiter.equals("/")) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "delimiter must be '/': " + delimiter);
        }
        List<Copy> copies;
        try {
            copies = selector.forWrite(t.ref(), t.spec());
        } catch (SkyforgeException e) {
            copies = selector.forRead(t.ref(), t.spec());
        }
        MergedListing.Result page = MergedListing.page(copies, prefix, delimiter, max, cont);
        boolean replicated = sync.replica(t.bucket()).isPresent();
        if (page.entries().isEmpty() && !page.unavailable().isEmpty() && page.unavailable().size() == copies.size()) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "no copy of " + t.ref() + " could be listed: "
                    + String.join(", ", page.unavailable()));
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("items");
        ArrayNode prefixes = out.putArray("prefixes");
        for (MergedListing.Entry e : page.entries()) {
            if (e.object() == null) {
                prefixes.add(e.key());
                continue;
            }
            ObjectSummary s = e.object();
            if (replicated && s.size() == 0 && isMarker(copies, e.cloud(), s.key())) {
                continue;
            }
            ObjectNode o = items.addObject();
            o.put("key", s.key());
            o.put("size", s.size());
            o.put("etag", s.etag());
            if (s.lastModified() != null) {
                o.put("lastModified", s.lastModified().toString());
            }
            o.put("cloud", e.cloud());
        }
        if (!page.unavailable().isEmpty()) {
            ArrayNode u = out.putArray("unavailable");
            page.unavailable().forEach(u::add);
        }
        if (page.continueToken() != null) {
            out.put("continue", page.continueToken());
        } else {
            out.putNull("continue");
        }
        response.setStatus(200);
        writeJson(response, out);
    }

    @GetMapping("/data/v1/journal")
    @Operation(summary = "Read the write journal after a position (for the sync engine and operators)")
    public void journal(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "1000") int limit,
                        HttpServletResponse response) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("items");
        long lastPosition = after;
        for (JournalEntry e : journal.readAfter(after, Math.max(1, Math.min(limit, WriteJournal.MAX_READ)))) {
            items.add(Json.MAPPER.<ObjectNode>valueToTree(e));
            lastPosition = e.position();
        }
        out.put("lastPosition", lastPosition);
        writeJson(response, out);
    }

    // ------------------------------------------------------------------ helpers

    private record Target(Resource bucket, LogicalBucketSpec spec) {
        String ref() {
            return bucket.ref();
        }
    }

    private record Cached(long storeVersion, Target target) {
    }

    /**
     * The bucket and its decoded spec, reused while the store's resourceVersion has not moved: reading
     * and decoding the resource was a fifth of the CPU of a small PUT. The version is read before the
     * resource, so a change that lands in between only makes the entry stale-proof, never stale.
     */
    private Target target(String ns, String bucket) {
        String cacheKey = ns + "/" + bucket;
        long version = store.currentResourceVersion();
        Cached cached = targets.get(cacheKey);
        if (cached != null && cached.storeVersion() == version) {
            return cached.target();
        }
        Resource r = store.get(Kinds.LOGICAL_BUCKET, ns, bucket).orElseThrow(() -> new SkyforgeException(
                ErrorCode.BUCKET_NOT_FOUND, "LogicalBucket " + ns + "/" + bucket + " not found"));
        Target t = new Target(r, Kinds.spec(r, LogicalBucketSpec.class));
        if (targets.size() >= MAX_CACHED_TARGETS) {
            targets.clear();
        }
        targets.put(cacheKey, new Cached(version, t));
        return t;
    }

    /**
     * The copy a write goes to: a primary-backup bucket's primary (writes wait while it is down), else the
     * copy the client named with {@code ?cloud=}, else the preferred healthy copy.
     */
    private Copy writeCopy(Target t, Optional<Replica> replica, String cloud) {
        List<Copy> healthy = selector.forWrite(t.ref(), t.spec());
        String wanted = cloud;
        if (replica.isPresent() && replica.get().primaryBackup()) {
            String primary = replica.get().primary();
            if (cloud != null && !cloud.equals(primary)) {
                throw new SkyforgeException(ErrorCode.UNSUPPORTED, t.ref() + " is replicated primary-backup: writes go to"
                        + " its primary " + primary + ", not to " + cloud);
            }
            wanted = primary;
        }
        if (wanted == null) {
            return healthy.get(0);
        }
        for (Copy c : healthy) {
            if (c.cloud().equals(wanted)) {
                return c;
            }
        }
        String w = wanted;
        if (t.spec().providers().stream().noneMatch(p -> p.cloud().equals(w))) {
            throw new SkyforgeException(ErrorCode.VALIDATION, t.ref() + " has no copy on cloud " + wanted + "; its copies are "
                    + t.spec().providers().stream().map(p -> p.cloud()).toList());
        }
        throw new SkyforgeException(ErrorCode.UNAVAILABLE, "the copy of " + t.ref() + " on " + wanted
                + " cannot take writes now (its cloud is not Ready or is outside the residency policy)"
                + (replica.isPresent() && replica.get().primaryBackup() ? "; a primary-backup bucket's writes wait for"
                + " its primary, or change spec.primary" : ""));
    }

    /** A sync tombstone marker: the object is deleted, whatever its zero bytes say. */
    private static boolean deleted(ObjectInfo info) {
        return "true".equals(info.userMetadata().get(Version.META_DELETED));
    }

    private static boolean isMarker(List<Copy> copies, String cloud, String key) {
        for (Copy c : copies) {
            if (c.cloud().equals(cloud)) {
                try {
                    return c.store().head(c.physicalBucket(), key).map(DataController::deleted).orElse(true);
                } catch (SkyforgeException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The captured path starts with '/'; the rest is the key exactly as the client encoded it. */
    private static String key(String captured) {
        String k = captured.startsWith("/") ? captured.substring(1) : captured;
        return ObjectKeys.validateKey(k);
    }

    private static Precondition precondition(HttpServletRequest request) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        String ifMatch = request.getHeader("If-Match");
        if (ifNoneMatch != null && ifMatch != null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "send If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "If-None-Match on a PUT must be '*' (create only)");
            }
            return Precondition.IF_ABSENT;
        }
        return ifMatch == null ? Precondition.NONE : Precondition.ifMatch(ifMatch.strip());
    }

    /** Errors that another copy may not have: the cloud is down, refuses us, or lacks the bucket. */
    private static boolean fallsBack(SkyforgeException e) {
        return e.code().retryable() || e.code() == ErrorCode.ACCESS_DENIED || e.code() == ErrorCode.EXTERNAL
                || e.code() == ErrorCode.BUCKET_NOT_FOUND || e.code() == ErrorCode.INTERNAL;
    }

    private static SkyforgeException notFoundOr(Target t, String key, boolean allMissing, SkyforgeException last) {
        if (allMissing || last == null) {
            return new SkyforgeException(ErrorCode.NOT_FOUND, "object '" + abbreviate(key) + "' not found in " + t.ref());
        }
        return new SkyforgeException(last.code(), "no copy of " + t.ref() + " could serve '" + abbreviate(key) + "': "
                + last.getMessage(), last);
    }

    private static SkyforgeException incomplete(HttpServletRequest request, RequestBody body, long declared, Exception cause) {
        SkyforgeException e = new SkyforgeException(ErrorCode.INCOMPLETE_BODY, "the upload ended after " + body.count()
                + " bytes" + (declared >= 0 ? " of the " + declared + " declared" : "") + "; nothing was stored", cause);
        // Tomcat has already flagged the broken body as a 400 and renders its error page instead of our answer.
        request.setAttribute(ProblemErrorController.PROBLEM, e);
        return e;
    }

    private ByteRange parseRange(String header, Copy copy, String key) {
        if (header == null) {
            return ByteRange.ALL;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.contains(",")) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "Range must be one 'bytes=first-[last]' or 'bytes=-suffix': " + header);
        }
        String spec = h.substring("bytes=".length());
        int dash = spec.indexOf('-');
        try {
            if (dash < 0) {
                throw new NumberFormatException();
            }
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                long size = copy.store().head(copy.physicalBucket(), key)
                        .orElseThrow(() -> new SkyforgeException(ErrorCode.NOT_FOUND, "not found")).size();
                if (suffix <= 0 || size == 0) {
                    throw new SkyforgeException(ErrorCode.RANGE_NOT_SATISFIABLE, "Range " + header + " selects no bytes");
                }
                long n = Math.min(suffix, size);
                return ByteRange.of(size - n, n);
            }
            long first = Long.parseLong(a);
            if (b.isEmpty()) {
                return ByteRange.from(first);
            }
            long lastByte = Long.parseLong(b);
            if (lastByte < first) {
                throw new SkyforgeException(ErrorCode.RANGE_NOT_SATISFIABLE, "Range " + header + " ends before it starts");
            }
            return ByteRange.of(first, lastByte - first + 1);
        } catch (NumberFormatException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "Range must be one 'bytes=first-[last]' or 'bytes=-suffix': " + header);
        }
    }

    private void redirect(Target t, String key, HttpServletResponse response) {
        SkyforgeException last = null;
        boolean anyPresigning = false;
        for (Copy copy : selector.forRead(t.ref(), t.spec())) {
            if (!copy.store().capabilities().presignedUrls()) {
                continue;
            }
            anyPresigning = true;
            try {
                Optional<ObjectInfo> info = copy.store().head(copy.physicalBucket(), key);
                if (info.isEmpty() || deleted(info.get())) {
                    continue;
                }
                PresignedUrl url = copy.store().presign(copy.physicalBucket(), key, PresignedUrl.Method.GET, REDIRECT_TTL);
                response.setStatus(307);
                response.setHeader("Location", url.url().toString());
                response.setHeader("x-skyforge-cloud", copy.cloud());
                response.setHeader("Cache-Control", "no-store");
                return;
            } catch (SkyforgeException e) {
                if (!fallsBack(e)) {
                    throw e;
                }
                last = e;
            }
        }
        if (!anyPresigning) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "no copy of " + t.ref()
                    + " can hand out presigned URLs (filesystem clouds cannot); GET without redirect=true");
        }
        throw notFoundOr(t, key, last == null, last);
    }

    private static void headers(HttpServletResponse response, ObjectInfo info, Copy copy) {
        response.setContentType(info.contentType());
        response.setHeader("ETag", quote(info.etag()));
        response.setHeader("Accept-Ranges", "bytes");
        info.lastModifiedTime().ifPresent(t -> response.setHeader("Last-Modified", HTTP_DATE.format(t)));
        info.sha256Hex().ifPresent(h -> response.setHeader("x-skyforge-sha256", h));
        response.setHeader("x-skyforge-cloud", copy.cloud());
        try {
            Version.fromMetadata(info.userMetadata(), null).ifPresent(v -> response.setHeader(VERSION_HEADER, v.id()));
        } catch (SkyforgeException e) {
            // Version metadata someone else garbled is the sync engine's to judge; the object is still served.
        }
    }

    private static ObjectNode describe(ObjectInfo info, Copy copy) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("key", info.key());
        o.put("size", info.size());
        o.put("etag", info.etag());
        if (info.sha256() != null) {
            o.put("sha256", info.sha256());
        }
        o.put("contentType", info.contentType());
        o.put("cloud", copy.cloud());
        o.put("physicalBucket", copy.physicalBucket());
        return o;
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return ListRequest.DEFAULT_MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= ListRequest.DEFAULT_MAX_KEYS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SkyforgeException(ErrorCode.VALIDATION, "limit must be 1.." + ListRequest.DEFAULT_MAX_KEYS + ": " + limit);
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        out.flush();
    }

    private static void writeJson(HttpServletResponse response, ObjectNode body) throws IOException {
        response.setContentType("application/json");
        byte[] bytes = ResourceCodec.toCompactJson(body).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    private static String abbreviate(String key) {
        return key.length() <= 120 ? key : key.substring(0, 100) + "...";
    }
}
