package io.skyforge.provider.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of the Kubernetes Job for one (DataJob, cloud): the same inputs give the same name on
 * every control-plane replica and after every restart, which is what makes dispatch idempotent.
 */
public final class JobNames {

    /**
     * The API server refuses an Indexed Job whose name is longer than 63 - 11 characters: the job
     * controller appends {@code -<index>} to it for each pod's hostname, which must stay a DNS label.
     */
    public static final int MAX_LENGTH = 52;
    private static final int HASH_LENGTH = 8;

    private JobNames() {
    }

    /**
     * {@code sf-<namespace>-<name>-<cloud>-<hash>}, lower-case, cut to {@link #MAX_LENGTH}. The hash of
     * the exact triple is always appended, not only when the readable part is cut: the readable part
     * alone is ambiguous ({@code team-a/shop} and {@code team/a-shop} join alike, and so do the clouds
     * {@code CLOUD_A} and {@code cloud-a}), and a Job mistaken for another job's would be deleted.
     */
    public static String jobName(String namespace, String name, String cloud) {
        return jobName(namespace, name, cloud, 0);
    }

    /**
     * The name of a later round: when a cloud's first Job can no longer run a job's unfinished tasks
     * (it failed, or expired by its TTL), another Job runs them, named {@code ...-r<round>-<hash>}.
     */
    public static String jobName(String namespace, String name, String cloud, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round);
        }
        String key = namespace + "/" + name + "/" + cloud + (round == 0 ? "" : "/" + round);
        String hash = hash(key);
        String readable = "sf-" + slug(namespace) + "-" + slug(name) + "-" + slug(cloud);
        String suffix = round == 0 ? "" : "-r" + round;
        int room = MAX_LENGTH - 1 - HASH_LENGTH - suffix.length();
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        while (readable.endsWith("-")) {
            readable = readable.substring(0, readable.length() - 1);
        }
        return readable + suffix + "-" + hash;
    }

    /** Lower-case letters, digits and single dashes: cloud names may hold upper case and '_'. */
    private static String slug(String s) {
        String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        return lower.replaceAll("^-|-$", "");
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
