package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.cli.StorageClient.SfUri;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StorageUriTest {

    @Test
    void shouldSplitNamespaceBucketAndAKeyThatContainsSlashes() {
        SfUri u = SfUri.parse("sf://team-a/lb-123/shop/v1/part 0.csv");
        assertThat(u.namespace()).isEqualTo("team-a");
        assertThat(u.bucket()).isEqualTo("lb-123");
        assertThat(u.key()).isEqualTo("shop/v1/part 0.csv");
        assertThat(SfUri.parse("sf://default/lb-123").key()).isEmpty();
        assertThat(SfUri.parse("sf://default/lb-123/").key()).isEmpty();
    }

    @Test
    void shouldPercentEncodeEachKeySegmentButKeepTheSlashes() {
        assertThat(StorageClient.objectPath(SfUri.parse("sf://default/lb/a b/c+d%#.txt")))
                .isEqualTo("/data/v1/namespaces/default/buckets/lb/objects/a%20b/c%2Bd%25%23.txt");
    }

    @Test
    void shouldRefuseAnUriWithoutNamespaceOrBucket() {
        assertThatThrownBy(() -> SfUri.parse("sf://default")).hasMessageContaining("sf://<namespace>/<bucket>/[key]");
        assertThatThrownBy(() -> SfUri.parse("sf:///lb/k")).hasMessageContaining("is not sf://");
        assertThatThrownBy(() -> SfUri.parse("sf://ns//k")).hasMessageContaining("is not sf://");
    }

    @Test
    void shouldDrawTheBarOnlyWhenEnabled() {
        StringWriter quiet = new StringWriter();
        ProgressBar off = new ProgressBar(new PrintWriter(quiet), "upload", 100, false);
        off.add(50);
        off.finish();
        assertThat(quiet.toString()).isEmpty();

        StringWriter shown = new StringWriter();
        ProgressBar on = new ProgressBar(new PrintWriter(shown), "upload", 4 * 1024 * 1024, true);
        on.add(2 * 1024 * 1024);
        on.finish();
        assertThat(shown.toString()).startsWith("\rupload [###############...............]  50% 2.0 MiB/4.0 MiB")
                .endsWith("/s\n");
    }

    @Test
    void shouldShowCountAndRateWhenTheSizeIsUnknown() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "upload", -1, true);
        bar.add(1536);
        assertThat(bar.line(System.nanoTime())).startsWith("upload 1.5 KiB ").endsWith("/s");
    }
}
