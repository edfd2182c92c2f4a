package io.skyforge.schema.load;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.PartLoad;
import io.skyforge.spi.tabular.PartRecord;
import io.skyforge.spi.tabular.RowSource;
import io.skyforge.spi.tabular.TableDef;
import io.skyforge.spi.tabular.TabularTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Loads a compiled dataset into a database: tables in foreign-key order, the parts of one table in
 * parallel, each part one transaction recorded in the target's journal. A re-run of the same load
 * (same spec, seed, row counts and partitions) skips the committed parts, so after a failure it
 * neither duplicates nor skips rows.
 */
public final class DatasetLoader {

    private static final int CHUNK = 16_384;

    private DatasetLoader() {
    }

    public static LoadResult load(CompiledDataset dataset, TabularTarget target, LoadOptions options, LongConsumer progress) {
        long started = System.nanoTime();
        List<TableDef> all = TableDefs.of(dataset);
        List<TableDef> defs = options.tables().isEmpty() ? all
                : all.stream().filter(d -> options.tables().contains(d.name())).toList();
        for (String t : options.tables()) {
            dataset.table(t);
        }
        if (options.createTables()) {
            target.createTables(defs);
        }
        List<String> missing = defs.stream().map(TableDef::name).filter(t -> !target.exists(t)).toList();
        if (!missing.isEmpty()) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, "table(s) " + missing + " do not exist in the database;"
                    + " pass --create-tables to create them from the spec");
        }
        String loadId = loadId(dataset, defs, options);
        Map<String, Integer> parts = new LinkedHashMap<>();
        for (TableDef d : defs) {
            parts.put(d.name(), d.selfReferencing() ? 1 : options.partitions());
        }
        Set<String> skip = decide(target, defs, options, loadId, parts);
        // cores the loading connections leave idle generate rows for them
        int genThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / options.parallelism());
        target.beforeLoad(defs);
        Map<String, Long> loaded = new LinkedHashMap<>();
        int loadedParts = 0;
        int skipped = 0;
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "skyforge-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            for (TableDef d : defs) {
                CompiledTable table = dataset.table(d.name());
                List<String> columns = d.columns().stream().map(c -> c.name()).toList();
                int n = parts.get(d.name());
                List<Future<Long>> futures = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    if (skip.contains(d.name() + "/" + k + "/" + n)) {
                        skipped++;
                        continue;
                    }
                    PartRange range = PartRange.of(table.rows(), k, n);
                    RowSource rows = (out, nullText) -> PartWriter.writeRows(dataset, d.name(), range,
                            WriterOptions.of(Format.CSV).withHeader(false).withNullText(nullText), out, genThreads, CHUNK, progress);
                    PartLoad load = new PartLoad(loadId, d, columns, k, n, range.rows(), rows);
                    futures.add(pool.submit(() -> target.loadPart(load)));
                }
                long sum = 0;
                SkyforgeException failure = null;
                // every part is awaited even after a failure: the ones that commit stay in the journal for the re-run
                for (Future<Long> f : futures) {
                    try {
                        sum += f.get();
                        loadedParts++;
                    } catch (ExecutionException e) {
                        SkyforgeException se = e.getCause() instanceof SkyforgeException s ? s
                                : new SkyforgeException(ErrorCode.INTERNAL, "loading " + d.name() + " failed: " + e.getCause(), e.getCause());
                        if (failure == null) {
                            failure = se;
                        } else {
                            failure.addSuppressed(se);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted while loading " + d.name(), e);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                loaded.put(d.name(), sum);
            }
        } finally {
            pool.shutdownNow();
        }
        target.afterLoad(defs);
        return new LoadResult(loaded, loadedParts, skipped, (System.nanoTime() - started) / 1e9);
    }

    /** Applies --truncate / --append / resume rules; returns the committed parts to skip. */
    private static Set<String> decide(TabularTarget target, List<TableDef> defs, LoadOptions options, String loadId,
                                      Map<String, Integer> parts) {
        if (options.truncate()) {
            List<String> reversed = new ArrayList<>(defs.stream().map(TableDef::name).toList());
            java.util.Collections.reverse(reversed);
            target.truncate(reversed);
            return Set.of();
        }
        List<PartRecord> committed = target.committedParts(loadId);
        Set<String> skip = new java.util.HashSet<>();
        List<String> refused = new ArrayList<>();
        for (TableDef d : defs) {
            long count = target.rowCount(d.name());
            if (count == 0 || options.append()) {
                continue;
            }
            int n = parts.get(d.name());
            List<PartRecord> mine = committed.stream().filter(p -> p.table().equals(d.name()) && p.parts() == n).toList();
            long journalRows = mine.stream().mapToLong(PartRecord::rows).sum();
            if (!mine.isEmpty() && journalRows == count) {
                mine.forEach(p -> skip.add(d.name() + "/" + p.part() + "/" + n));
            } else {
                refused.add(d.name() + " (" + count + " rows)");
            }
        }
        if (!refused.isEmpty()) {
            throw new SkyforgeException(ErrorCode.CONFLICT, "refusing to load into non-empty table(s) " + String.join(", ", refused)
                    + ": pass --truncate to empty them first or --append to add to what is there");
        }
        return skip;
    }

    /** Identifies the rows a load writes: the spec, the resolved row counts, and how they are split. */
    static String loadId(CompiledDataset dataset, List<TableDef> defs, LoadOptions options) {
        String text = dataset.specHash() + "|" + dataset.seed() + "|" + options.partitions() + "|"
                + defs.stream().map(d -> d.name() + "=" + dataset.table(d.name()).rows()).collect(Collectors.joining(","));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(h, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
