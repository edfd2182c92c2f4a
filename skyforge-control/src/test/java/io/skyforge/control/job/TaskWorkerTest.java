package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskWorkerTest {

    @Test
    void keepsOnlyTheMostRecentlyUsedPreparedJobs() {
        Map<String, String> jobs = TaskWorker.recent(3);
        jobs.put("a@1", "A");
        jobs.put("b@1", "B");
        jobs.put("c@1", "C");
        // a task of job a arrives again: a is now the most recent, b the oldest
        assertThat(jobs.computeIfAbsent("a@1", k -> "A again")).isEqualTo("A");
        jobs.computeIfAbsent("d@1", k -> "D");

        assertThat(jobs).containsOnlyKeys("a@1", "c@1", "d@1");
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfJobsHoweverManyItSees() {
        Map<String, Integer> jobs = TaskWorker.recent(TaskWorker.PREPARED_KEPT);
        for (int i = 0; i < 10_000; i++) {
            jobs.computeIfAbsent("job-" + i + "@1", k -> 1);
        }

        assertThat(jobs).hasSize(TaskWorker.PREPARED_KEPT).containsKey("job-9999@1").doesNotContainKey("job-0@1");
    }
}
