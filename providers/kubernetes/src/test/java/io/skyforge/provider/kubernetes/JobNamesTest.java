package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobNamesTest {

    private static final String DNS_1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";

    @Test
    void shouldGiveTheSameNameForTheSameJobAndCloud() {
        assertThat(JobNames.jobName("team-a", "shop-10m", "CLOUD_A"))
                .isEqualTo(JobNames.jobName("team-a", "shop-10m", "CLOUD_A"))
                .startsWith("sf-team-a-shop-10m-cloud-a-")
                .matches(DNS_1035_LABEL)
                .hasSizeLessThanOrEqualTo(JobNames.MAX_LENGTH);
    }

    @Test
    void shouldGiveEachCloudOfAJobItsOwnName() {
        assertThat(JobNames.jobName("team-a", "shop", "cloud-a")).isNotEqualTo(JobNames.jobName("team-a", "shop", "cloud-b"));
    }

    @Test
    void shouldKeepTriplesApartThatJoinToTheSameReadableName() {
        assertThat(JobNames.jobName("team-a", "shop", "c")).isNotEqualTo(JobNames.jobName("team", "a-shop", "c"));
        assertThat(JobNames.jobName("ns", "job", "CLOUD_A")).isNotEqualTo(JobNames.jobName("ns", "job", "cloud-a"));
    }

    @Test
    void shouldCutLongNamesToWhatAnIndexedJobAllowsAndKeepThemDistinct() {
        String ns = "n".repeat(63);
        String name = "j".repeat(63);
        String a = JobNames.jobName(ns, name, "x".repeat(63));
        String b = JobNames.jobName(ns, name, "x".repeat(62) + "y");

        assertThat(a).hasSize(JobNames.MAX_LENGTH).matches(DNS_1035_LABEL).startsWith("sf-nnnn");
        assertThat(b).hasSize(JobNames.MAX_LENGTH).isNotEqualTo(a);
        // Indexed Job pods are named <job>-<index>: 52 + "-" + up to 10 digits stays a 63-character DNS label.
        assertThat(a.length() + 1 + String.valueOf(Integer.MAX_VALUE).length()).isLessThanOrEqualTo(63);
    }

    @Test
    void shouldNotLeaveADashBeforeTheHashWhenTheCutFallsOnOne() {
        // The readable part "sf-" + 40 characters + "-" ... is cut at 43, right after a dash.
        String name = JobNames.jobName("a".repeat(39), "b".repeat(20), "c");

        assertThat(name).doesNotContain("--").matches(DNS_1035_LABEL);
    }

    @Test
    void shouldNameLaterRoundsApartFromTheFirstAndWithinTheLimit() {
        String first = JobNames.jobName("team-a", "shop", "c");
        String second = JobNames.jobName("team-a", "shop", "c", 1);
        String long12 = JobNames.jobName("n".repeat(63), "j".repeat(63), "c", 12);

        assertThat(JobNames.jobName("team-a", "shop", "c", 0)).isEqualTo(first);
        assertThat(second).startsWith("sf-team-a-shop-c-r1-").isNotEqualTo(first);
        assertThat(long12).hasSize(JobNames.MAX_LENGTH).contains("-r12-").matches(DNS_1035_LABEL);
    }

    @Test
    void shouldTurnCloudNamesIntoLowerCaseDnsCharacters() {
        assertThat(JobNames.jobName("ns", "job", "Cloud_A__Oss")).startsWith("sf-ns-job-cloud-a-oss-");
    }
}
