package io.skyforge.cli;

import io.skyforge.spi.error.ErrorType;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The runnable jar's entry point. */
public final class Main {

    /** Exit codes: 0 ok, 1 user error (bad input, not found, conflict), 2 server unreachable or internal error. */
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int SYSTEM_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        // Client commands end here; long-running ones (server, demo, worker) return only when stopped.
        System.exit(code);
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SkyforgeCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return USER_ERROR;
        });
        return cl;
    }

    /** One clear line (plus located violations), never a stack trace. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof SkyforgeException s) {
            err.println("error: " + s.code().code() + ": " + s.getMessage());
            int shown = 0;
            boolean alreadySaid = s.violations().size() == 1 && s.getMessage().contains(s.violations().get(0).describe());
            for (Violation v : alreadySaid ? java.util.List.<Violation>of() : s.violations()) {
                if (shown++ == 50) {
                    err.println("  ... and " + (s.violations().size() - 50) + " more");
                    break;
                }
                err.println("  " + v.describe());
            }
            err.flush();
            return s.code().type() == ErrorType.USER ? USER_ERROR : SYSTEM_ERROR;
        }
        err.println("error: SF-INTERNAL: " + e.getClass().getSimpleName()
                + (e.getMessage() != null ? ": " + e.getMessage() : "") + " (please report this)");
        err.flush();
        return SYSTEM_ERROR;
    }
}
