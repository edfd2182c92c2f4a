package io.skyforge.spi.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An upload body that must be exactly what was declared: its length and, when one is given, its digest.
 * With a declared length everything is checked before the last byte is handed on, so an upload sent straight
 * from this stream, without buffering, can never complete with wrong bytes: the read that would finish the body
 * fails instead, and the backend never receives a whole body. Without a declared length the digest is checked
 * when the stream ends, which suffices for uploads that read their body to the end before committing it.
 */
public final class ExactBody extends FilterInputStream {

    /** A body that is not what was declared; tells such a body apart from a transfer that broke off. */
    public static final class MismatchException extends IOException {
        private final boolean length;

        MismatchException(String message, boolean length) {
            super(message);
            this.length = length;
        }

        /** True when the length was wrong, false when the digest was. */
        public boolean length() {
            return length;
        }
    }

    private final long declared;
    private final MessageDigest digest;
    private final String expected;
    private long count;
    private MismatchException mismatch;
    private IOException readFailure;

    private ExactBody(InputStream in, long declared, String algorithm, String expectedHex) {
        super(in);
        this.declared = declared;
        this.expected = expectedHex;
        this.digest = expectedHex == null ? null : digest(algorithm);
    }

    /** Checks the length only ({@link PutOptions#UNKNOWN_LENGTH}: nothing to check). */
    public static ExactBody of(InputStream in, long declaredLength) {
        return new ExactBody(in, declaredLength, null, null);
    }

    /** Checks the length and, unless {@code expectedHex} is null, the SHA-256. */
    public static ExactBody sha256(InputStream in, long declaredLength, String expectedHex) {
        return new ExactBody(in, declaredLength, "SHA-256", expectedHex);
    }

    /** Checks the length and, unless {@code expectedHex} is null, the MD5. */
    public static ExactBody md5(InputStream in, long declaredLength, String expectedHex) {
        return new ExactBody(in, declaredLength, "MD5", expectedHex);
    }

    /** Bytes handed on so far. */
    public long count() {
        return count;
    }

    /** The check that failed, or null (a failure of the underlying stream is not a mismatch). */
    public MismatchException mismatch() {
        return mismatch;
    }

    /** What the underlying stream threw, or null: tells a body that could not be read from a failed upload. */
    public IOException readFailure() {
        return readFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (mismatch != null) {
            throw mismatch;
        }
        if (len == 0) {
            return 0;
        }
        boolean lengthKnown = declared != PutOptions.UNKNOWN_LENGTH;
        if (lengthKnown && count == declared) {
            return -1;
        }
        int n = source(buf, off, lengthKnown ? (int) Math.min(len, declared - count) : len);
        if (n < 0) {
            if (lengthKnown) {
                throw fail("the body ended after " + count + " of its " + declared + " declared bytes", true);
            }
            checkDigest();
            return -1;
        }
        if (digest != null) {
            digest.update(buf, off, n);
        }
        count += n;
        if (lengthKnown && count == declared) {
            // The last bytes are only handed on once the body is known to be whole and right.
            if (source(new byte[1], 0, 1) > 0) {
                throw fail("the body runs past its " + declared + " declared bytes", true);
            }
            checkDigest();
        }
        return n;
    }

    private int source(byte[] buf, int off, int len) throws IOException {
        try {
            return in.read(buf, off, len);
        } catch (IOException e) {
            readFailure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be counted and hashed like read ones.
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void checkDigest() throws MismatchException {
        if (digest == null) {
            return;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw fail("the body's " + digest.getAlgorithm() + " is " + actual + ", expected " + expected, false);
        }
    }

    private MismatchException fail(String message, boolean length) {
        mismatch = new MismatchException(message, length);
        return mismatch;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
