package io.skyforge.cli;

import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "wait", description = "Wait until a resource has a condition (or is deleted): "
        + "wait datajob/NAME --for=condition=Succeeded --timeout 5m")
final class WaitCommand implements Callable<Integer> {

    private static final Pattern CONDITION = Pattern.compile("condition=([A-Za-z0-9_.-]+)(?:=(True|False|Unknown))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND/NAME")
    String target;

    @Option(names = "--for", required = true, description = "condition=TYPE[=True|False|Unknown] or delete")
    String forWhat;

    @Option(names = "--timeout", defaultValue = "30s", description = "e.g. 90s, 5m (default ${DEFAULT-VALUE})")
    String timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "expected KIND/NAME, e.g. datajob/shop-10m; got '" + target + "'");
        }
        ResourceKind kind = Kinds.resolve(target.substring(0, slash));
        String name = target.substring(slash + 1);
        boolean forDelete = forWhat.equalsIgnoreCase("delete");
        Matcher m = CONDITION.matcher(forWhat);
        if (!forDelete && !m.matches()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--for must be condition=TYPE[=True|False|Unknown] or delete; got '"
                    + forWhat + "'");
        }
        String type = forDelete ? null : m.group(1);
        String wanted = forDelete || m.group(2) == null ? "True"
                : m.group(2).substring(0, 1).toUpperCase(Locale.ROOT) + m.group(2).substring(1).toLowerCase(Locale.ROOT);
        long deadline = System.nanoTime() + parse(timeout).toNanos();
        ApiClient api = client.client();
        long sleep = 100;
        while (true) {
            Optional<Resource> r = api.get(kind, client.namespaceOrDefault(), name);
            if (forDelete && r.isEmpty()) {
                spec.commandLine().getOut().println(kind.singular() + "/" + name + " deleted");
                return Main.OK;
            }
            if (!forDelete && r.isPresent() && has(r.get(), type, wanted)) {
                spec.commandLine().getOut().println(kind.singular() + "/" + name + " condition met");
                return Main.OK;
            }
            if (System.nanoTime() > deadline) {
                String state = r.map(x -> "; it has " + describe(x)).orElse("; it does not exist");
                throw new SkyforgeException(ErrorCode.TIMEOUT, "timed out after " + timeout + " waiting for "
                        + kind.singular() + "/" + name + (forDelete ? " to be deleted" : " to have " + type + "=" + wanted) + state);
            }
            Thread.sleep(sleep);
            sleep = Math.min(1000, sleep * 2);
        }
    }

    private static boolean has(Resource r, String type, String wanted) {
        for (JsonNode c : r.status().path("conditions")) {
            if (type.equalsIgnoreCase(c.path("type").asString()) && wanted.equals(c.path("status").asString())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Resource r) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : r.status().path("conditions")) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.path("type").asString()).append('=').append(c.path("status").asString());
        }
        return sb.length() == 0 ? "no conditions" : sb.toString();
    }

    static Duration parse(String s) {
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "bad duration '" + s + "'; use e.g. 500ms, 30s, 5m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
