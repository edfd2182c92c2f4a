package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.core.codec.SourceMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerWarmUpTest {

    private final ExecutorService uploads = Executors.newCachedThreadPool();

    @TempDir
    Path tmp;

    @AfterEach
    void stopUploads() {
        uploads.shutdownNow();
    }

    @Test
    void generatesEveryTableOfTheGeneratorTourEachRoundAndLeavesNothingBehind() throws Exception {
        WorkerWarmUp.Result r = WorkerWarmUp.run(tmp, uploads, 1, 2, () -> false);

        var tour = WorkerWarmUp.tour();
        CompiledDataset expected = DatasetCompiler.compile(tour.spec(), SourceMap.empty(tour.ref()), GenerateOptions.defaults());
        long rows = expected.loadOrder().stream().mapToLong(t -> expected.table(t).rows()).sum();
        assertThat(expected.loadOrder()).hasSize(6);
        assertThat(r.parts()).isEqualTo(2 * 6);
        assertThat(r.rows()).isEqualTo(2 * rows);
        assertThat(r.bytes()).isGreaterThan(r.rows() * 10);
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the scratch directory is deleted").isEmpty();
        }
    }

    @Test
    void generatesWithSeveralThreadsAsAWorkerWithThreadsDoes() {
        WorkerWarmUp.Result one = WorkerWarmUp.run(tmp, uploads, 1, 1, () -> false);
        WorkerWarmUp.Result four = WorkerWarmUp.run(tmp, uploads, 4, 1, () -> false);

        assertThat(four.parts()).isEqualTo(one.parts()).isEqualTo(6);
        assertThat(four.rows()).isEqualTo(one.rows());
        assertThat(four.bytes()).isEqualTo(one.bytes());
    }

    @Test
    void endsEarlyWhenTheWorkerIsToldToStop() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // The stop arrives while the first table is being generated (the first call is the check before
        // the first round): that part is abandoned at its chunk's end, aborted, and nothing else starts.
        WorkerWarmUp.Result r = WorkerWarmUp.run(tmp, uploads, 1, 1_000, () -> asked.incrementAndGet() > 1);

        assertThat(r.parts()).isZero();
        assertThat(r.rows()).isZero();
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
