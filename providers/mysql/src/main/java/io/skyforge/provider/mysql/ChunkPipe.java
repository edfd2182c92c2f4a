package io.skyforge.provider.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A producer thread's bytes handed to a consumer thread in 64 KiB chunks through a small bounded
 * queue: far fewer hand-overs than {@link java.io.PipedInputStream}, whose reader and writer meet
 * on every write and poll with one-second waits.
 */
final class ChunkPipe {

    private static final int CHUNK = 1 << 16;
    private static final byte[] END = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(32);
    private volatile boolean readerClosed;

    /** The writing end; {@link OutputStream#close()} marks the end of data (call it also after a failure). */
    OutputStream out() {
        return new OutputStream() {
            private byte[] buf = new byte[CHUNK];
            private int n;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                if (n == buf.length) {
                    hand(buf, n);
                }
                buf[n++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (n == buf.length) {
                        hand(buf, n);
                    }
                    int k = Math.min(len, buf.length - n);
                    System.arraycopy(b, off, buf, n, k);
                    n += k;
                    off += k;
                    len -= k;
                }
            }

            private void hand(byte[] b, int len) throws IOException {
                byte[] chunk = len == b.length ? b : java.util.Arrays.copyOf(b, len);
                put(chunk);
                buf = new byte[CHUNK];
                n = 0;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    if (n > 0) {
                        put(java.util.Arrays.copyOf(buf, n));
                    }
                } finally {
                    put(END);
                }
            }
        };
    }

    private void put(byte[] chunk) throws IOException {
        try {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (readerClosed) {
                    throw new IOException("the database stopped reading rows");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The reading end; closing it early makes the writer fail instead of blocking. */
    InputStream in() {
        return new InputStream() {
            private byte[] cur = new byte[0];
            private int pos;
            private boolean ended;

            private boolean fill() throws IOException {
                while (!ended && pos == cur.length) {
                    try {
                        byte[] next = queue.take();
                        if (next == END) {
                            ended = true;
                        } else {
                            cur = next;
                            pos = 0;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                return pos < cur.length;
            }

            @Override
            public int read() throws IOException {
                return fill() ? cur[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int k = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, k);
                pos += k;
                return k;
            }

            @Override
            public void close() {
                readerClosed = true;
                queue.clear();
            }
        };
    }
}
