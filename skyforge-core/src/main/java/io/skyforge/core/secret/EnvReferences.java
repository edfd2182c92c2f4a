package io.skyforge.core.secret;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} references in configuration values. They are stored as written and resolved only
 * where the value is used, from the environment or a secret file {@code <secretsDir>/NAME}, so no
 * secret has to pass through the API. {@code $${} writes a literal {@code ${}.
 */
public final class EnvReferences {

    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}|\\$\\{");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;
    private final Path secretsDir;

    public EnvReferences(Function<String, String> env, Path secretsDir) {
        this.env = env;
        this.secretsDir = secretsDir;
    }

    /** Resolves against the process environment and, when given, a directory of secret files. */
    public static EnvReferences system(Path secretsDir) {
        return new EnvReferences(System::getenv, secretsDir);
    }

    public static EnvReferences of(Map<String, String> vars) {
        return new EnvReferences(vars::get, null);
    }

    public static boolean containsReference(String value) {
        return value != null && value.contains("${");
    }

    /** Why the references in {@code value} are malformed, or empty when they are well formed. */
    public static Optional<String> checkSyntax(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = REF.matcher(value);
        while (m.find()) {
            if (m.group().equals("$${")) {
                continue;
            }
            if (m.group(1) == null) {
                return Optional.of("unterminated variable reference '${' (write $${ for a literal)");
            }
            if (!NAME.matcher(m.group(1)).matches()) {
                return Optional.of("'${" + m.group(1) + "}' is not a valid variable name: use letters, digits and '_',"
                        + " not starting with a digit");
            }
        }
        return Optional.empty();
    }

    /** The variable names {@code value} refers to, in order. */
    public static Set<String> names(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        Matcher m = REF.matcher(value);
        while (m.find()) {
            if (m.group(1) != null && NAME.matcher(m.group(1)).matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Names among {@code value}'s references that neither the environment nor the secrets dir defines. */
    public List<String> missing(String value) {
        List<String> out = new ArrayList<>();
        for (String n : names(value)) {
            if (lookup(n).isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Substitutes every reference.
     *
     * @param where names the field for the error message, e.g. "Cloud cloud_a_oss spec.accessKey"
     */
    public String resolve(String value, String where) {
        if (value == null || !value.contains("$")) {
            return value;
        }
        checkSyntax(value).ifPresent(problem -> {
            throw new SkyforgeException(ErrorCode.VALIDATION, where + ": " + problem);
        });
        Matcher m = REF.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String name = m.group(1);
                replacement = lookup(name).orElseThrow(() -> new SkyforgeException(ErrorCode.MISSING_VARIABLE,
                        "environment variable " + name + " is not set (needed by " + where + ")"
                                + (secretsDir != null ? "; set it or write it to " + secretsDir.resolve(name) : "")));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private Optional<String> lookup(String name) {
        String v = env.apply(name);
        if (v != null) {
            return Optional.of(v);
        }
        if (secretsDir != null) {
            Path file = secretsDir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
                } catch (IOException e) {
                    throw new SkyforgeException(ErrorCode.IO, "cannot read secret file " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }
}
