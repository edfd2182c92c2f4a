package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The central promise: rows [0, N) as one piece equal, byte for byte, the same rows cut into 7
 * uneven pieces, and 1 thread equals 2 threads. Run for every table of every example (together they
 * use every generator) in CSV and JSON Lines, and for threads in Parquet (whose files do not join).
 */
class SplitInvarianceTest {

    static Stream<Arguments> tables() {
        return Specs.exampleNames().stream().flatMap(name -> {
            CompiledDataset ds = Specs.compile(Specs.example(name));
            return ds.tables().stream().map(t -> Arguments.of(name, t.name()));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tables")
    void shouldGiveTheSameBytesWhateverThePartitioningAndThreads(String example, String table) throws Exception {
        CompiledDataset ds = Specs.compile(Specs.example(example));
        CompiledTable t = ds.table(table);
        long n = t.rows();
        for (Format f : List.of(Format.CSV, Format.JSONL)) {
            WriterOptions o = WriterOptions.of(f).withHeader(false);
            byte[] whole = Gen.bytes(ds, table, 0, n, o, 1, 1000);
            assertThat(whole).isNotEmpty();
            assertThat(Gen.bytes(ds, table, 0, n, o, 2, 257)).as("2 threads, %s", f).isEqualTo(whole);
            // 7 uneven pieces: boundaries at fixed fractions, some tiny, one empty
            double[] cuts = {0, 0.01, 0.013, 0.2, 0.2, 0.55, 0.9, 1};
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i + 1 < cuts.length; i++) {
                long a = (long) (cuts[i] * n);
                long b = i + 2 == cuts.length ? n : (long) (cuts[i + 1] * n);
                joined.write(Gen.bytes(ds, table, a, b, o, 1 + (i % 2), 100));
            }
            assertThat(joined.toByteArray()).as("7 pieces, %s", f).isEqualTo(whole);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tables")
    void shouldGiveTheSameParquetBytesWithOneOrTwoThreads(String example, String table) throws Exception {
        CompiledDataset ds = Specs.compile(Specs.example(example));
        long n = ds.table(table).rows();
        // small row groups: the second thread's pages cross row group ends too
        WriterOptions o = WriterOptions.of(Format.PARQUET).withRowGroupRows(700);
        assertThat(Gen.bytes(ds, table, 0, n, o, 2, 257)).isEqualTo(Gen.bytes(ds, table, 0, n, o, 1, 1000));
    }
}
