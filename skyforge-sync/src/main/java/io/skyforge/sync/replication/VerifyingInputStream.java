package io.skyforge.sync.replication;

import io.skyforge.spi.storage.PartPump;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them and fails at the end when the hash differs from the version's:
 * the adapter then aborts the upload, so a copy torn by a concurrent overwrite of the source never
 * becomes visible under the version's name.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final MessageDigest sha = PartPump.sha256();
    private final String expected;
    private long count;
    private boolean checked;

    VerifyingInputStream(InputStream in, String expectedSha256) {
        super(in);
        this.expected = expectedSha256;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            end();
        } else {
            sha.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
            end();
        } else {
            sha.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void end() throws IOException {
        if (checked || expected == null) {
            return;
        }
        checked = true;
        String actual = PartPump.hex(sha);
        if (!actual.equals(expected)) {
            throw new IOException("source content changed while copying: sha256 " + actual + ", version says " + expected);
        }
    }
}
