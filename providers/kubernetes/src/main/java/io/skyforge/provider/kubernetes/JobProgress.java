package io.skyforge.provider.kubernetes;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Map;

/**
 * What Kubernetes says about one Indexed Job, in the DataJob's terms: which of its tasks are done
 * (from {@code status.completedIndexes}, mapped through the Job's task-indexes annotation), how
 * many pods are running or failed, and whether the Job finished.
 *
 * @param tasks            the task indexes the Job runs, by completion index (from its annotation)
 * @param completedIndexes completion indexes that succeeded, ascending
 * @param failureReason    the reason of the Job's {@code Failed} condition (e.g. BackoffLimitExceeded); null unless failed
 */
public record JobProgress(
        String name,
        String jobNamespace,
        String jobName,
        String jobUid,
        String cloud,
        int round,
        List<Integer> tasks,
        int completions,
        int active,
        int succeeded,
        int failed,
        List<Integer> completedIndexes,
        boolean complete,
        String failureReason,
        String failureMessage) {

    public JobProgress {
        tasks = List.copyOf(tasks);
        completedIndexes = List.copyOf(completedIndexes);
    }

    /** The DataJob's tasks (partitions) this Job has finished. */
    public List<Integer> completedTasks() {
        return completedIndexes.stream().filter(i -> i < tasks.size()).map(tasks::get).toList();
    }

    public boolean isFailed() {
        return failureReason != null;
    }

    /** Complete or failed: Kubernetes starts no more pods for it. */
    public boolean isFinished() {
        return complete || isFailed();
    }

    static JobProgress of(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels() == null ? Map.of() : job.getMetadata().getLabels();
        Map<String, String> annotations = job.getMetadata().getAnnotations() == null ? Map.of() : job.getMetadata().getAnnotations();
        JobStatus status = job.getStatus();
        boolean complete = false;
        String failureReason = null;
        String failureMessage = null;
        if (status != null && status.getConditions() != null) {
            for (JobCondition c : status.getConditions()) {
                if (!"True".equals(c.getStatus())) {
                    continue;
                }
                if ("Complete".equals(c.getType())) {
                    complete = true;
                } else if ("Failed".equals(c.getType())) {
                    failureReason = c.getReason() == null ? "Failed" : c.getReason();
                    failureMessage = c.getMessage() == null ? "" : c.getMessage();
                }
            }
        }
        Integer completions = job.getSpec() == null ? null : job.getSpec().getCompletions();
        return new JobProgress(
                job.getMetadata().getName(),
                labels.get(IndexedJobManifest.JOB_NAMESPACE_LABEL),
                labels.get(IndexedJobManifest.JOB_NAME_LABEL),
                labels.get(IndexedJobManifest.JOB_UID_LABEL),
                labels.get(IndexedJobManifest.CLOUD_LABEL),
                parseInt(labels.get(IndexedJobManifest.ROUND_LABEL)),
                TaskIndexes.parse(annotations.get(IndexedJobManifest.TASKS_ANNOTATION),
                        parseInt(annotations.get(IndexedJobManifest.TOTAL_TASKS_ANNOTATION))),
                completions == null ? 0 : completions,
                status == null ? 0 : orZero(status.getActive()),
                status == null ? 0 : orZero(status.getSucceeded()),
                status == null ? 0 : orZero(status.getFailed()),
                status == null ? List.of() : TaskIndexes.parse(status.getCompletedIndexes(), completions == null ? 0 : completions),
                complete,
                failureReason,
                failureMessage);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
