package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void shouldRenderHttpRangeHeaders() {
        assertThat(ByteRange.of(0, 100).httpHeader()).isEqualTo("bytes=0-99");
        assertThat(ByteRange.from(100).httpHeader()).isEqualTo("bytes=100-");
    }

    @Test
    void shouldClipLengthAtObjectEnd() {
        assertThat(ByteRange.of(90, 100).lengthWithin(100)).isEqualTo(10);
        assertThat(ByteRange.from(10).lengthWithin(100)).isEqualTo(90);
        assertThat(ByteRange.of(200, 1).lengthWithin(100)).isZero();
    }

    @Test
    void shouldRefuseEmptyAndNegativeRanges() {
        assertThatThrownBy(() -> ByteRange.of(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteRange.of(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStripQuotesFromEtags() {
        assertThat(ETags.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(ETags.unquote("W/\"abc\"")).isEqualTo("abc");
        assertThat(ETags.quote("abc")).isEqualTo("\"abc\"");
        assertThat(Precondition.ifMatch("\"abc\"").etag()).isEqualTo("abc");
    }
}
