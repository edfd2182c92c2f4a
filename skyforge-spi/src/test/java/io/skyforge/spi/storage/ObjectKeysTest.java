package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "dir/file.csv", "with space", "plus+sign", "100%", "hash#tag", "q?x=1",
            "数据/文件.parquet", "emoji-\uD83D\uDE80", "%2e%2e/x", "...", "a/.hidden"})
    void shouldAcceptPortableKeys(String key) {
        assertThat(ObjectKeys.validateKey(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "dir/", "a//b", "../etc/passwd", "a/../../b", "a/./b", ".", "..",
            "nul\u0000byte", "tab\tkey", "del\u007f", "bad\uD800surrogate", "back\\slash"})
    void shouldRefuseKeysThatDoNotSurviveEveryBackend(String key) {
        assertThatThrownBy(() -> ObjectKeys.validateKey(key))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY));
    }

    @Test
    void shouldCountKeyLengthInUtf8Bytes() {
        String ok = "é".repeat(512);
        assertThat(ObjectKeys.validateKey(ok)).isEqualTo(ok);
        assertThatThrownBy(() -> ObjectKeys.validateKey(ok + "x"))
                .hasMessageContaining("at most 1024 bytes in UTF-8, this one has 1025");
    }

    @Test
    void shouldOrderKeysByTheirUtf8BytesAsS3AndAzureListThem() {
        // String order would put the rocket (U+1F680, a surrogate pair) before U+FF21; its UTF-8 bytes sort after.
        assertThat(ObjectKeys.UTF8_ORDER.compare("a\uD83D\uDE80", "a\uFF21")).isPositive();
        assertThat("a\uD83D\uDE80".compareTo("a\uFF21")).isNegative();
        java.util.Random random = new java.util.Random(7);
        String[] alphabet = {"a", "b", "/", "é", "数", "\uE000", "\uFFFD", "\uD83D\uDE80", "\uD83D\uDE81", "\uD800\uDC00"};
        for (int i = 0; i < 20_000; i++) {
            String x = randomKey(random, alphabet);
            String y = randomKey(random, alphabet);
            int bytes = java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Integer.signum(ObjectKeys.UTF8_ORDER.compare(x, y))).as("%s vs %s", x, y).isEqualTo(Integer.signum(bytes));
        }
    }

    private static String randomKey(java.util.Random random, String[] alphabet) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(5); n >= 0; n--) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket-1", "0numbers0"})
    void shouldAcceptPortableBucketNames(String name) {
        assertThat(ObjectKeys.validateBucket(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Upper", "dot.ted", "-lead", "trail-", "dou--ble", "under_score"})
    void shouldRefuseBucketNamesSomeBackendRejects(String name) {
        assertThatThrownBy(() -> ObjectKeys.validateBucket(name))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    }

    @Test
    void shouldAcceptIdentifierMetadataAndRefuseTheRest() {
        assertThat(ObjectKeys.validateMetadata(Map.of("sf_hlc", "0001-2", "owner", "team a"))).hasSize(2);
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("has-dash", "x"))).hasMessageContaining("[a-z_]");
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("Upper", "x"))).hasMessageContaining("[a-z_]");
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("skyforge_sha256", "x"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("v", "日本"))).hasMessageContaining("ASCII");
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("v", " padded"))).hasMessageContaining("spaces");
        assertThatThrownBy(() -> ObjectKeys.validateMetadata(Map.of("big", "x".repeat(2100)))).hasMessageContaining("2048");
    }
}
