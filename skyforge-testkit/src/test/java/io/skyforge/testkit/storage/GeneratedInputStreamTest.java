package io.skyforge.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedInputStreamTest {

    @Test
    void shouldServeExactlyTheRequestedNumberOfBytes() throws IOException {
        try (GeneratedInputStream in = new GeneratedInputStream(100_003, 1)) {
            assertThat(in.readAllBytes()).hasSize(100_003);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldServeTheSameBytesWhateverTheReadSizes() throws IOException {
        byte[] whole;
        try (GeneratedInputStream in = new GeneratedInputStream(10_000, 7)) {
            whole = in.readAllBytes();
        }
        byte[] pieces = new byte[10_000];
        try (GeneratedInputStream in = new GeneratedInputStream(10_000, 7)) {
            int pos = 0;
            int step = 1;
            while (pos < pieces.length) {
                int n = in.read(pieces, pos, Math.min(step, pieces.length - pos));
                pos += n;
                step = step * 3 % 97 + 1;
            }
        }
        assertThat(pieces).isEqualTo(whole);
        for (int i = 0; i < whole.length; i += 997) {
            assertThat(GeneratedInputStream.byteAt(7, i)).isEqualTo(whole[i]);
        }
    }

    @Test
    void shouldDifferBetweenSeedsAndMatchItsExpectedDigest() {
        assertThat(GeneratedInputStream.expectedSha256(4096, 1)).isNotEqualTo(GeneratedInputStream.expectedSha256(4096, 2));
        assertThat(GeneratedInputStream.sha256(new GeneratedInputStream(4096, 1)))
                .isEqualTo(GeneratedInputStream.expectedSha256(4096, 1));
    }

    @Test
    void shouldFailAfterTheRequestedNumberOfBytesAndReportProgress() {
        List<Long> progress = new ArrayList<>();
        GeneratedInputStream in = new GeneratedInputStream(1_000_000, 3, 5000, progress::add);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("after 5000 bytes");
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(5000L));
        assertThat(progress.get(progress.size() - 1)).isEqualTo(5000L);
    }
}
