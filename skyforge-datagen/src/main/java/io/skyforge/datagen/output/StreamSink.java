package io.skyforge.datagen.output;

import java.io.IOException;
import java.io.OutputStream;

/** Every part appended to one stream (stdout for {@code --out -}); the stream itself is never closed. */
public final class StreamSink implements PartSink {

    private final OutputStream out;

    public StreamSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public PartOutput open(String key) {
        // a stream cannot take bytes back: what was written stays written, commit only flushes
        return new PartOutput() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void commit() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    @Override
    public void delete(String key) {
        // a stream keeps nothing to delete
    }

    @Override
    public boolean keepsObjects() {
        return false;
    }

    @Override
    public String describe() {
        return "-";
    }
}
