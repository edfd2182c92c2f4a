package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.Feistel;
import io.skyforge.datagen.engine.Row;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Unique columns come from a bijection of the row index: checked over 10 million rows. */
class UniquenessTest {

    static final int ROWS = 10_000_000;


    @Test
    void shouldNeverRepeatAUniqueIntegerOverTenMillionRows() {
        CompiledDataset ds = Specs.compile("""
                seed: 99
                tables:
                  - name: u
                    rows: %d
                    columns:
                      - {name: n, type: int, unique: true, generator: {kind: uniform, min: 5, max: 10000004}}
                """.formatted(ROWS));
        CompiledTable t = ds.table("u");
        Ctx ctx = ds.newContext();
        Row r = new Row(1);
        BitSet seen = new BitSet(ROWS);
        long inOrder = 0;
        for (long i = 0; i < ROWS; i++) {
            t.fill(i, r, ctx);
            int v = (int) r.getLong(0) - 5;
            assertThat(seen.get(v)).isFalse();
            seen.set(v);
            if (v == i) {
                inOrder++;
            }
        }
        // every value of the domain used once: a permutation, and a shuffled one
        assertThat(seen.cardinality()).isEqualTo(ROWS);
        assertThat(inOrder).isLessThan(100);
    }

    @Test
    void shouldNeverRepeatAUniquePatternOrUuidOverTenMillionRows() {
        for (String column : new String[] {
            "{name: code, unique: true, generator: {kind: pattern, pattern: \"[A-Z]{2}\\\\d{6}\"}}",
            "{name: id, type: uuid, unique: true, generator: uuid}"}) {
            CompiledDataset ds = Specs.compile("""
                    seed: 99
                    tables:
                      - name: u
                        rows: %d
                        columns:
                          - %s
                    """.formatted(ROWS, column));
            CompiledTable t = ds.table("u");
            long[] hashes = new long[ROWS];
            int threads = 2;
            // two threads, each with its own context, fill disjoint halves
            IntStream.range(0, threads).parallel().forEach(k -> {
                Ctx ctx = ds.newContext();
                Row r = new Row(1);
                for (int i = k; i < ROWS; i += threads) {
                    t.fill(i, r, ctx);
                    hashes[i] = fingerprint(r.getText(0));
                }
            });
            Arrays.sort(hashes);
            for (int i = 1; i < ROWS; i++) {
                assertThat(hashes[i]).as(column).isNotEqualTo(hashes[i - 1]);
            }
        }
    }

    @Test
    void shouldPermuteSmallAndOddDomainsCompletely() {
        for (long size : new long[] {1, 2, 3, 7, 10, 1000, 65_537}) {
            Feistel f = new Feistel(size, 42);
            BitSet seen = new BitSet();
            for (long i = 0; i < size; i++) {
                long v = f.apply(i);
                assertThat(v).isBetween(0L, size - 1);
                seen.set((int) v);
            }
            assertThat(seen.cardinality()).isEqualTo((int) size);
        }
    }

    /** An injective-enough 64-bit fingerprint of short ASCII text (FNV-1a then a mixer). */
    static long fingerprint(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
