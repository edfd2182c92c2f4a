package io.skyforge.cli;

import io.skyforge.cli.StorageClient.SfUri;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "cp", description = {"Copy a file into, out of or between logical buckets, streaming.",
        "  skyforge cp FILE|- sf://NS/BUCKET/KEY     upload (a KEY ending in '/' takes the file's name)",
        "  skyforge cp sf://NS/BUCKET/KEY FILE|DIR|-  download",
        "  skyforge cp sf://NS/B1/K1 sf://NS/B2/K2    copy through the server"})
final class CpCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DST")
    String destination;

    @Option(names = "--content-type", description = "MIME type stored with an upload (default application/octet-stream)")
    String contentType;

    @Option(names = "--no-progress", description = "no progress bar even on a terminal")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean fromBucket = SfUri.is(source);
        boolean toBucket = SfUri.is(destination);
        if (!fromBucket && !toBucket) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "one of SRC and DST must be an sf://<namespace>/<bucket>/<key> URI"
                    + " (use your shell's cp for local copies)");
        }
        StorageClient storage = new StorageClient(client.serverUrl(), client.token());
        if (toBucket) {
            SfUri target = SfUri.parse(destination);
            if (fromBucket) {
                return copyBetween(storage, SfUri.parse(source), target);
            }
            return upload(storage, source, target);
        }
        return download(storage, SfUri.parse(source), destination);
    }

    private boolean progress() {
        return !noProgress && ProgressBar.onTerminal();
    }

    private int upload(StorageClient storage, String src, SfUri target) throws IOException {
        boolean stdin = src.equals("-");
        Path file = stdin ? null : Path.of(src);
        if (file != null && !Files.isRegularFile(file)) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, "no such file: " + src);
        }
        if (target.key().isEmpty() || target.key().endsWith("/")) {
            if (stdin) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "uploading stdin needs a full key: sf://NS/BUCKET/KEY");
            }
            target = target.withKey(target.key() + file.getFileName());
        }
        long length = stdin ? -1 : Files.size(file);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "upload", length, progress());
        JsonNode stored = storage.put(target, () -> new StorageClient.Counting(open(file), bar), length, contentType);
        bar.finish();
        spec.commandLine().getOut().println(target + "  " + stored.path("size").asLong() + " bytes  sha256 "
                + stored.path("sha256").asString("-") + "  on " + stored.path("cloud").asString());
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

    private static InputStream open(Path file) {
        try {
            return file == null ? System.in : Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int download(StorageClient storage, SfUri source, String dst) throws IOException {
        if (source.key().isEmpty() || source.key().endsWith("/")) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "'" + source + "' names no object: give the full key");
        }
        HttpResponse<InputStream> r = storage.get(source);
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "download", length, progress() && !dst.equals("-"));
        try (InputStream in = new StorageClient.Counting(r.body(), bar)) {
            if (dst.equals("-")) {
                OutputStream out = System.out;
                in.transferTo(out);
                out.flush();
                return Main.OK;
            }
            Path target = Path.of(dst);
            if (Files.isDirectory(target)) {
                String key = source.key();
                target = target.resolve(key.substring(key.lastIndexOf('/') + 1));
            }
            Path dir = target.toAbsolutePath().getParent();
            // Written beside the target and renamed, so an interrupted download never leaves a truncated file under its name.
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                if (length >= 0 && Files.size(tmp) != length) {
                    throw new SkyforgeException(ErrorCode.IO, "the download ended after " + Files.size(tmp) + " of " + length + " bytes");
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            bar.finish();
            spec.commandLine().getOut().println(target + "  " + Files.size(target) + " bytes");
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    private int copyBetween(StorageClient storage, SfUri source, SfUri target) throws IOException {
        if (target.key().isEmpty() || target.key().endsWith("/")) {
            String key = source.key();
            target = target.withKey(target.key() + key.substring(key.lastIndexOf('/') + 1));
        }
        HttpResponse<InputStream> r = storage.get(source);
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        String type = contentType != null ? contentType : r.headers().firstValue("Content-Type").orElse(null);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "copy", length, progress());
        try (InputStream in = r.body()) {
            JsonNode stored = storage.put(target, () -> new StorageClient.Counting(in, bar), length, type);
            bar.finish();
            spec.commandLine().getOut().println(target + "  " + stored.path("size").asLong() + " bytes  on "
                    + stored.path("cloud").asString());
        }
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
