package io.skyforge.datagen.writer;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;

/**
 * A second thread for one {@link ParquetTableWriter}: it encodes some of the columns' values while
 * the writer's own thread encodes the others, and it compresses and stores the pages that the
 * column writers finish. Every column's calls still happen in the order the writer makes them (one
 * thread, tasks run in submission order), so the file's bytes do not depend on it.
 */
final class EncodingHelper implements AutoCloseable {

    @FunctionalInterface
    interface Task {
        void run() throws IOException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parquet-encoder");
        t.setDaemon(true);
        return t;
    });
    /** The task submitted last: once it is done, every earlier one is too. */
    private Future<?> last;

    Future<?> submit(Task task) {
        last = thread.submit(() -> {
            task.run();
            return null;
        });
        return last;
    }

    /** Waits until everything submitted so far is done: page sizes may be read, pages written to the file. */
    void settle() throws IOException {
        if (last != null) {
            TaskResults.get(last);
            last = null;
        }
    }

    /**
     * Page writers that hand each page to this thread. The column writers reuse their buffers as
     * soon as a page is handed over, so the page's bytes are copied first; its statistics are
     * fresh objects for every page and need no copy.
     */
    PageWriteStore deferring(PageWriteStore pages) {
        return path -> new DeferredPages(pages.getPageWriter(path));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private final class DeferredPages implements PageWriter {
        private final PageWriter target;

        DeferredPages(PageWriter target) {
            this.target = target;
        }

        @Override
        @SuppressWarnings("deprecation")
        public void writePage(BytesInput bytes, int valueCount, Statistics<?> statistics, Encoding rl, Encoding dl,
                              Encoding values) throws IOException {
            BytesInput page = copy(bytes);
            submit(() -> target.writePage(page, valueCount, statistics, rl, dl, values));
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics, Encoding rl,
                              Encoding dl, Encoding values) throws IOException {
            BytesInput page = copy(bytes);
            submit(() -> target.writePage(page, valueCount, rowCount, statistics, rl, dl, values));
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics,
                              SizeStatistics sizeStatistics, Encoding rl, Encoding dl, Encoding values) throws IOException {
            BytesInput page = copy(bytes);
            submit(() -> target.writePage(page, valueCount, rowCount, statistics, sizeStatistics, rl, dl, values));
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics,
                              SizeStatistics sizeStatistics, GeospatialStatistics geospatialStatistics, Encoding rl,
                              Encoding dl, Encoding values) throws IOException {
            BytesInput page = copy(bytes);
            submit(() -> target.writePage(page, valueCount, rowCount, statistics, sizeStatistics, geospatialStatistics,
                    rl, dl, values));
        }

        @Override
        public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels,
                                BytesInput definitionLevels, Encoding dataEncoding, BytesInput data,
                                Statistics<?> statistics) throws IOException {
            BytesInput rl = copy(repetitionLevels);
            BytesInput dl = copy(definitionLevels);
            BytesInput d = copy(data);
            submit(() -> target.writePageV2(rowCount, nullCount, valueCount, rl, dl, dataEncoding, d, statistics));
        }

        @Override
        public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels,
                                BytesInput definitionLevels, Encoding dataEncoding, BytesInput data,
                                Statistics<?> statistics, SizeStatistics sizeStatistics) throws IOException {
            BytesInput rl = copy(repetitionLevels);
            BytesInput dl = copy(definitionLevels);
            BytesInput d = copy(data);
            submit(() -> target.writePageV2(rowCount, nullCount, valueCount, rl, dl, dataEncoding, d, statistics,
                    sizeStatistics));
        }

        @Override
        public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels,
                                BytesInput definitionLevels, Encoding dataEncoding, BytesInput data,
                                Statistics<?> statistics, SizeStatistics sizeStatistics,
                                GeospatialStatistics geospatialStatistics) throws IOException {
            BytesInput rl = copy(repetitionLevels);
            BytesInput dl = copy(definitionLevels);
            BytesInput d = copy(data);
            submit(() -> target.writePageV2(rowCount, nullCount, valueCount, rl, dl, dataEncoding, d, statistics,
                    sizeStatistics, geospatialStatistics));
        }

        @Override
        public void writeDictionaryPage(DictionaryPage dictionaryPage) throws IOException {
            DictionaryPage page = dictionaryPage.copy();
            submit(() -> target.writeDictionaryPage(page));
        }

        /** Read only once the helper has settled (the writer settles before it measures or flushes a row group). */
        @Override
        public long getMemSize() {
            return target.getMemSize();
        }

        @Override
        public long allocatedSize() {
            return target.allocatedSize();
        }

        @Override
        public String memUsageString(String prefix) {
            return target.memUsageString(prefix);
        }

        private static BytesInput copy(BytesInput bytes) throws IOException {
            return BytesInput.from(bytes.toByteArray());
        }
    }
}
