package io.skyforge.server.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as the adapters read it: counts bytes and remembers whether reading it failed,
 * so a client that hangs up mid-upload is told apart from a failing cloud.
 */
final class RequestBody extends FilterInputStream {

    private long count;
    private IOException failure;

    RequestBody(InputStream in) {
        super(in);
    }

    long count() {
        return count;
    }

    boolean failed() {
        return failure != null;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on an upload body");
    }

    /** The servlet container owns the request stream. */
    @Override
    public void close() {
    }
}
