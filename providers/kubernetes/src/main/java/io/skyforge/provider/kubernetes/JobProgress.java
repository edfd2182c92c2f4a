package io.skyforge.provider.kubernetes;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What Kubernetes says about one Indexed Job, in the DataJob's terms: which of its partitions are
 * done (from {@code status.completedIndexes}, shifted by the cloud's first partition), how many pods
 * are running or failed, and whether the Job finished.
 *
 * @param completedIndexes completion indexes that succeeded, ascending
 * @param failureReason    the reason of the Job's {@code Failed} condition (e.g. BackoffLimitExceeded); null unless failed
 */
public record JobProgress(
        String name,
        String jobNamespace,
        String jobName,
        String jobUid,
        String cloud,
        int firstPartition,
        int completions,
        int active,
        int succeeded,
        int failed,
        List<Integer> completedIndexes,
        boolean complete,
        String failureReason,
        String failureMessage) {

    public JobProgress {
        completedIndexes = List.copyOf(completedIndexes);
    }

    /** The DataJob's partitions (task indexes) this Job has finished. */
    public List<Integer> completedPartitions() {
        return completedIndexes.stream().map(i -> firstPartition + i).toList();
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
                parseInt(annotations.get(IndexedJobManifest.FIRST_PARTITION_ANNOTATION)),
                completions == null ? 0 : completions,
                status == null ? 0 : orZero(status.getActive()),
                status == null ? 0 : orZero(status.getSucceeded()),
                status == null ? 0 : orZero(status.getFailed()),
                status == null ? List.of() : parseIndexes(status.getCompletedIndexes(), completions == null ? 0 : completions),
                complete,
                failureReason,
                failureMessage);
    }

    /**
     * Kubernetes' compressed index list: comma-separated numbers and inclusive ranges, {@code "1,3-5,7"}.
     * Anything unreadable or outside {@code 0..completions-1} is skipped rather than failing the
     * status read: the task queue, not this list, is the record of which partitions are done.
     */
    static List<Integer> parseIndexes(String text, int completions) {
        TreeSet<Integer> out = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int from = Math.max(0, Integer.parseInt(p.substring(0, dash)));
                    int to = Math.min(completions - 1, Integer.parseInt(p.substring(dash + 1)));
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                } else if (!p.isEmpty()) {
                    int i = Integer.parseInt(p);
                    if (i >= 0 && i < completions) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException unreadable) {
                continue;
            }
        }
        return new ArrayList<>(out);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
