package io.skyforge.core.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/** Naming rules: Kubernetes DNS-1123 labels and label syntax, plus the seed's Cloud names. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern CLOUD_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private Names() {
    }

    /** Why {@code name} is not a DNS-1123 label, or empty when it is one. */
    public static Optional<String> checkDnsLabel(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > 63) {
            return Optional.of("'" + abbreviate(name) + "' is " + name.length() + " characters; at most 63 are allowed");
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            return Optional.of("'" + abbreviate(name) + "' is not a DNS-1123 label: use lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** Cloud names may also use upper case and '_' (the seed names clouds CLOUD_A and cloud_a_oss). */
    public static Optional<String> checkCloudName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > 63) {
            return Optional.of("'" + abbreviate(name) + "' is " + name.length() + " characters; at most 63 are allowed");
        }
        if (!CLOUD_NAME.matcher(name).matches()) {
            return Optional.of("'" + abbreviate(name) + "' is not a valid cloud name: use letters, digits, '-' and '_',"
                    + " starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> checkLabelKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("label key must not be empty");
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("label key prefix '" + abbreviate(prefix) + "' must be a DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return Optional.of("label key '" + abbreviate(key) + "' must be at most 63 letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> checkLabelValue(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            return Optional.of("label value '" + abbreviate(value) + "' must be at most 63 letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
