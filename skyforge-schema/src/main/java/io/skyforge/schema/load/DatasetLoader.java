package io.skyforge.schema.load;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ForeignKeyDef;
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
        // before anything is written: a cycle of keys that no order can satisfy fails here
        LoadPlan plan = LoadPlan.of(defs, (t, fk) -> target.forwardKey(t.name(), fk));
        defs = plan.order();
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
        Map<String, List<ForeignKeyDef>> nullFirst = plan.nullFirst();
        List<int[]> runs = plan.deferredRuns();
        try {
            for (int i = 0; i < defs.size(); i++) {
                int[] run = null;
                for (int[] r : runs) {
                    if (r[0] == i) {
                        run = r;
                    }
                }
                if (run != null) {
                    // the tables of a cycle closed by a DEFERRABLE key: every part in one transaction, checked at its commit
                    List<PartLoad> loads = new ArrayList<>();
                    for (TableDef d : defs.subList(run[0], run[1] + 1)) {
                        loads.addAll(parts(dataset, d, parts.get(d.name()), loadId, skip, nulled(nullFirst, d), genThreads, progress));
                    }
                    skipped += defs.subList(run[0], run[1] + 1).stream().mapToInt(d -> parts.get(d.name())).sum() - loads.size();
                    List<Long> counts = loads.isEmpty() ? List.of() : target.loadPartsDeferred(loads);
                    for (int k = 0; k < loads.size(); k++) {
                        loaded.merge(loads.get(k).table().name(), counts.get(k), Long::sum);
                    }
                    defs.subList(run[0], run[1] + 1).forEach(d -> loaded.putIfAbsent(d.name(), 0L));
                    loadedParts += loads.size();
                    i = run[1];
                    continue;
                }
                TableDef d = defs.get(i);
                List<PartLoad> loads = parts(dataset, d, parts.get(d.name()), loadId, skip, nulled(nullFirst, d), genThreads, progress);
                skipped += parts.get(d.name()) - loads.size();
                List<Long> counts = awaitAll(d.name(), loads.stream().map(load -> pool.submit(() -> TransientRetry.call(() -> target.loadPart(load)))).toList());
                loadedParts += counts.size();
                loaded.put(d.name(), counts.stream().mapToLong(Long::longValue).sum());
            }
            // the keys loaded as NULL, now that the rows they point at are there; on a re-run too, as committed
            // parts of an interrupted load may still hold the NULLs
            for (Map.Entry<String, List<ForeignKeyDef>> e : nullFirst.entrySet()) {
                TableDef d = defs.stream().filter(t -> t.name().equals(e.getKey())).findFirst().orElseThrow();
                List<String> columns = e.getValue().stream().flatMap(f -> f.columns().stream()).distinct().toList();
                List<PartLoad> every = parts(dataset, d, parts.get(d.name()), loadId, Set.of(), Set.of(), genThreads, n -> { });
                awaitAll(d.name(), every.stream().map(load -> pool.submit(() -> TransientRetry.call(() -> target.updateColumns(load, columns)))).toList());
            }
        } finally {
            pool.shutdownNow();
        }
        target.afterLoad(defs);
        return new LoadResult(loaded, loadedParts, skipped, (System.nanoTime() - started) / 1e9);
    }

    private static Set<String> nulled(Map<String, List<ForeignKeyDef>> nullFirst, TableDef d) {
        return Set.copyOf(nullFirst.getOrDefault(d.name(), List.of()).stream().flatMap(f -> f.columns().stream()).toList());
    }

    /** The parts of {@code d} still to load; {@code nulled} columns are written as NULL. */
    private static List<PartLoad> parts(CompiledDataset dataset, TableDef d, int n, String loadId, Set<String> skip,
                                        Set<String> nulled, int genThreads, LongConsumer progress) {
        CompiledTable table = dataset.table(d.name());
        List<String> columns = d.columns().stream().map(c -> c.name()).toList();
        boolean[] blank = new boolean[columns.size()];
        for (int c = 0; c < blank.length; c++) {
            blank[c] = nulled.contains(columns.get(c));
        }
        List<PartLoad> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (skip.contains(d.name() + "/" + k + "/" + n)) {
                continue;
            }
            PartRange range = PartRange.of(table.rows(), k, n);
            RowSource rows = (csv, nullText) -> PartWriter.writeRows(dataset, d.name(), range,
                    WriterOptions.of(Format.CSV).withHeader(false).withNullText(nullText),
                    nulled.isEmpty() ? csv : new NullColumns(csv, blank, nullText), genThreads, CHUNK, progress);
            out.add(new PartLoad(loadId, d, columns, k, n, range.rows(), rows));
        }
        return out;
    }

    /** Every part is awaited even after a failure: the ones that commit stay in the journal for the re-run. */
    private static List<Long> awaitAll(String table, List<Future<Long>> futures) {
        List<Long> counts = new ArrayList<>();
        SkyforgeException failure = null;
        for (Future<Long> f : futures) {
            try {
                counts.add(f.get());
            } catch (ExecutionException e) {
                SkyforgeException se = e.getCause() instanceof SkyforgeException s ? s
                        : new SkyforgeException(ErrorCode.INTERNAL, "loading " + table + " failed: " + e.getCause(), e.getCause());
                if (failure == null) {
                    failure = se;
                } else {
                    failure.addSuppressed(se);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted while loading " + table, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return counts;
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
