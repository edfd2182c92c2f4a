package io.skyforge.datagen.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Every part appended to one stream (stdout for {@code --out -}); the stream itself is never closed. */
public final class StreamSink implements PartSink {

    private final OutputStream out;

    public StreamSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public OutputStream open(String key) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
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
