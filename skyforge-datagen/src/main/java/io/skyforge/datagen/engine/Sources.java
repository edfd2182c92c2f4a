package io.skyforge.datagen.engine;

/** Value sources of the generators, before they are adapted to a column's type. */
public final class Sources {

    private Sources() {
    }

    @FunctionalInterface
    public interface LongSource {
        long get(long row, Row r, Ctx ctx);
    }

    @FunctionalInterface
    public interface DoubleSource {
        double get(long row, Row r, Ctx ctx);
    }

    @FunctionalInterface
    public interface TextSource {
        void append(long row, Row r, Ctx ctx, StringBuilder out);
    }
}
