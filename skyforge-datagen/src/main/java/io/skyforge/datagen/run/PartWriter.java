package io.skyforge.datagen.run;

import com.github.luben.zstd.ZstdOutputStream;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.Row;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.writer.ColumnBatch;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.ParquetTableWriter;
import io.skyforge.datagen.writer.TaskResults;
import io.skyforge.datagen.writer.TextWriter;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Generates one part of one table into a sink. Rows are computed in fixed chunks, on several
 * threads when asked, and written in row order, so the bytes never depend on the thread count;
 * at most a few chunks are in memory whatever the row count.
 */
public final class PartWriter {

    static final int CHUNK = 16_384;

    private PartWriter() {
    }

    /** The key of a part: {@code <table>/part-<k>-of-<N>.<ext>}, k zero-padded so keys sort in row order. */
    public static String key(String table, int part, int parts, WriterOptions options) {
        int width = Integer.toString(parts - 1).length();
        String k = String.format("%0" + width + "d", part);
        return table + "/part-" + k + "-of-" + parts + options.extension();
    }

    public static PartResult write(CompiledDataset dataset, String tableName, int part, int parts, WriterOptions options,
                                   PartSink sink, int threads, LongConsumer progress) throws IOException {
        CompiledTable table = dataset.table(tableName);
        PartRange range = PartRange.of(table.rows(), part, parts);
        String key = key(tableName, part, parts, options);
        MessageDigest sha = sha256();
        long[] bytes = new long[1];
        try (OutputStream stored = sink.open(key)) {
            OutputStream counting = new FilterOutputStream(stored) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    sha.update((byte) b);
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    sha.update(b, off, len);
                    bytes[0] += len;
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
            try {
                writeRows(dataset, tableName, range, options, counting, threads, CHUNK, progress);
                counting.close();
            } catch (IOException | RuntimeException | Error e) {
                sink.abort(stored);
                throw e;
            }
        }
        return new PartResult(tableName, part, parts, key, range.start(), range.rows(), bytes[0], HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Writes rows {@code range} of a table as one file (header, compression and all) onto a stream
     * the caller owns; the building block of parts, usable for any row range.
     *
     * @param chunkRows rows per unit of parallel work (bytes do not depend on it)
     */
    public static void writeRows(CompiledDataset dataset, String tableName, PartRange range, WriterOptions options,
                                 OutputStream out, int threads, int chunkRows, LongConsumer progress) throws IOException {
        CompiledTable table = dataset.table(tableName);
        if (range.end() > table.rows()) {
            throw new IllegalArgumentException("rows " + range + " exceed table " + tableName + " (" + table.rows() + " rows)");
        }
        if (options.format() == Format.PARQUET) {
            // Parquet chunks hold Row objects rather than bytes: keep them small
            writeParquet(dataset, table, range, options, out, threads, Math.min(chunkRows, 2048), progress);
        } else {
            try (OutputStream compressed = compress(out, options)) {
                writeText(dataset, table, range, options, compressed, threads, chunkRows, progress);
            }
        }
    }

    private static OutputStream compress(OutputStream out, WriterOptions o) throws IOException {
        return switch (o.compression()) {
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out, 3);
            default -> new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }
            };
        };
    }

    private static void writeText(CompiledDataset dataset, CompiledTable table, PartRange range, WriterOptions options,
                                  OutputStream out, int threads, int chunk, LongConsumer progress) throws IOException {
        TextWriter writer = new TextWriter(table, options, out, range.start(), range.end());
        writer.header();
        if (threads <= 1 || range.rows() <= chunk) {
            Ctx ctx = dataset.newContext();
            Row row = new Row(table.columnCount());
            long since = 0;
            for (long r = range.start(); r < range.end(); r++) {
                table.fill(r, row, ctx);
                writer.row(row, r);
                if (++since == CHUNK) {
                    progress.accept(since);
                    since = 0;
                }
            }
            progress.accept(since);
            writer.finish();
            return;
        }
        ThreadLocal<TextWriter.Chunker> chunkers = ThreadLocal.withInitial(
                () -> new TextWriter.Chunker(dataset, table, options, range.start(), range.end()));
        BlockingQueue<TextWriter.Chunk> pool = pool(threads, TextWriter.Chunk::new);
        parallel(range, threads, chunk, (from, to) -> {
            TextWriter.Chunk bytes = take(pool);
            chunkers.get().encode(from, to, bytes);
            return bytes;
        }, (bytes, n) -> {
            writer.raw(bytes);
            pool.add(bytes);
            progress.accept(n);
        });
        writer.finish();
    }

    private static void writeParquet(CompiledDataset dataset, CompiledTable table, PartRange range, WriterOptions options,
                                     OutputStream out, int threads, int chunk, LongConsumer progress) throws IOException {
        try (ParquetTableWriter writer = new ParquetTableWriter(table, options, out, threads)) {
            if (threads <= 1 || range.rows() <= chunk) {
                Ctx ctx = dataset.newContext();
                Row row = new Row(table.columnCount());
                long since = 0;
                for (long r = range.start(); r < range.end(); r++) {
                    table.fill(r, row, ctx);
                    writer.write(row);
                    if (++since == CHUNK) {
                        progress.accept(since);
                        since = 0;
                    }
                }
                progress.accept(since);
                return;
            }
            // workers turn their rows into column batches, which the writer reads as a few arrays
            // rather than row by row from another core's cache; batches are recycled, so a small
            // heap (the Parquet writer buffers a row group) is not spent on GC
            BlockingQueue<ColumnBatch> pool = pool(threads, () -> writer.newBatch(chunk));
            ThreadLocal<Ctx> ctxs = ThreadLocal.withInitial(dataset::newContext);
            ThreadLocal<Row> rows = ThreadLocal.withInitial(() -> new Row(table.columnCount()));
            parallel(range, threads, chunk, (from, to) -> {
                ColumnBatch batch = take(pool);
                Ctx ctx = ctxs.get();
                Row row = rows.get();
                for (long r = from; r < to; r++) {
                    table.fill(r, row, ctx);
                    batch.add(row);
                }
                return batch;
            }, (batch, n) -> {
                writer.write(batch);
                pool.add(batch);
                progress.accept(n);
            });
        }
    }

    /** Buffers for the chunks in flight: as many as {@link #parallel}'s window, plus the one being written, plus one. */
    private static <T> BlockingQueue<T> pool(int threads, Supplier<T> buffer) {
        int pieces = window(threads) + 2;
        BlockingQueue<T> pool = new ArrayBlockingQueue<>(pieces);
        for (int i = 0; i < pieces; i++) {
            pool.add(buffer.get());
        }
        return pool;
    }

    private static <T> T take(BlockingQueue<T> pool) throws IOException {
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @FunctionalInterface
    interface ChunkTask<T> {
        T run(long from, long to) throws IOException;
    }

    @FunctionalInterface
    interface ChunkConsumer<T> {
        void accept(T chunk, long rows) throws IOException;
    }

    /** Runs chunk tasks on a pool with a bounded window and hands results over in chunk order. */
    private static <T> void parallel(PartRange range, int threads, int chunk, ChunkTask<T> task, ChunkConsumer<T> consumer)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "datagen-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<T>> window = new ArrayDeque<>();
            ArrayDeque<Long> sizes = new ArrayDeque<>();
            long next = range.start();
            int maxInFlight = window(threads);
            while (next < range.end() || !window.isEmpty()) {
                while (next < range.end() && window.size() < maxInFlight) {
                    long from = next;
                    long to = Math.min(range.end(), from + chunk);
                    window.add(pool.submit(() -> task.run(from, to)));
                    sizes.add(to - from);
                    next = to;
                }
                T done = TaskResults.get(window.poll());
                consumer.accept(done, sizes.poll());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Chunks submitted but not yet handed over. */
    private static int window(int threads) {
        return threads * 3;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
