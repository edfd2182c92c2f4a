package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ExactBodyTest {

    private static final byte[] DATA = "exactly these twenty-nine b!!".getBytes();

    private static String hex(String algorithm, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }

    /** Copies the way an HTTP client sends a body: whatever each read returns is already on the wire. */
    private static byte[] send(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        try {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                wire.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new SentBeforeFailure(wire.toByteArray(), e);
        }
        return wire.toByteArray();
    }

    private static final class SentBeforeFailure extends IOException {
        final byte[] sent;

        SentBeforeFailure(byte[] sent, IOException cause) {
            super(cause);
            this.sent = sent;
        }
    }

    @Test
    void shouldPassARightBodyThroughAndCountIt() throws Exception {
        ExactBody body = ExactBody.sha256(new ByteArrayInputStream(DATA), DATA.length, hex("SHA-256", DATA));
        assertThat(send(body, 7)).isEqualTo(DATA);
        assertThat(body.count()).isEqualTo(DATA.length);
        assertThat(body.mismatch()).isNull();
    }

    @Test
    void shouldFailBeforeHandingOnTheLastBytesWhenTheDigestDiffers() throws Exception {
        ExactBody body = ExactBody.md5(new ByteArrayInputStream(DATA), DATA.length, hex("MD5", "other".getBytes()));
        assertThatThrownBy(() -> send(body, 8)).isInstanceOfSatisfying(SentBeforeFailure.class, e -> {
            assertThat(e.sent.length).as("the receiver never got the whole body").isLessThan(DATA.length);
            assertThat(e.getCause()).isInstanceOf(ExactBody.MismatchException.class).hasMessageContaining("MD5");
        });
        assertThat(body.mismatch().length()).isFalse();
    }

    @Test
    void shouldFailWhenTheBodyEndsEarlyOrRunsOn() {
        ExactBody shortBody = ExactBody.of(new ByteArrayInputStream(DATA), DATA.length + 1);
        assertThatThrownBy(() -> send(shortBody, 64)).hasRootCauseMessage("the body ended after 29 of its 30 declared bytes");
        assertThat(shortBody.mismatch().length()).isTrue();
        ExactBody longBody = ExactBody.of(new ByteArrayInputStream(DATA), DATA.length - 1);
        assertThatThrownBy(() -> send(longBody, 64)).isInstanceOfSatisfying(SentBeforeFailure.class,
                e -> assertThat(e.sent).isEmpty());
        assertThat(longBody.mismatch()).hasMessageContaining("runs past its 28 declared bytes");
    }

    @Test
    void shouldCheckTheDigestAtTheEndWhenTheLengthIsUnknown() throws Exception {
        String right = hex("SHA-256", DATA);
        assertThat(send(ExactBody.sha256(new ByteArrayInputStream(DATA), PutOptions.UNKNOWN_LENGTH, right), 5)).isEqualTo(DATA);
        assertThatThrownBy(() -> send(ExactBody.sha256(new ByteArrayInputStream(DATA), PutOptions.UNKNOWN_LENGTH,
                hex("SHA-256", new byte[0])), 5)).hasRootCauseInstanceOf(ExactBody.MismatchException.class);
    }

    @Test
    void shouldTellAFailingSourceApartFromAMismatch() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        ExactBody body = ExactBody.of(broken, 10);
        assertThatThrownBy(() -> send(body, 4)).hasRootCauseMessage("connection reset");
        assertThat(body.readFailure()).hasMessage("connection reset");
        assertThat(body.mismatch()).isNull();
    }

    @Test
    void shouldHashSkippedBytesToo() throws Exception {
        ExactBody body = ExactBody.sha256(new ByteArrayInputStream(DATA), DATA.length, hex("SHA-256", DATA));
        assertThat(body.skip(10)).isEqualTo(10);
        assertThat(send(body, 4)).hasSize(DATA.length - 10);
        assertThat(body.mismatch()).isNull();
    }
}
