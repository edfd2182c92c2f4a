package io.skyforge.cli;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.schema.load.DatasetLoader;
import io.skyforge.schema.load.LoadOptions;
import io.skyforge.schema.load.LoadResult;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.TabularProviders;
import io.skyforge.spi.tabular.TabularTarget;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import picocli.CommandLine.Option;

/** {@code generate --out jdbc:...}: load the generated rows into a database instead of writing files. */
final class JdbcOutput {

    /** The options {@code generate} gains for database targets (a picocli mixin). */
    static final class Options {
        @Option(names = "--create-tables", description = "jdbc: create missing tables from the spec")
        boolean createTables;

        @Option(names = "--append", description = "jdbc: load into tables that already hold rows")
        boolean append;

        @Option(names = "--truncate", description = "jdbc: empty the tables first")
        boolean truncate;

        @Option(names = "--user", paramLabel = "U", description = "jdbc: user name (else from the URL)")
        String user;

        @Option(names = "--password-env", paramLabel = "VAR", description = "jdbc: read the password from this environment variable")
        String passwordEnv;

        @Option(names = "--connections", paramLabel = "N", defaultValue = "4", description = "jdbc: parts loading at once (default: ${DEFAULT-VALUE})")
        int connections;
    }

    private JdbcOutput() {
    }

    static boolean handles(String out) {
        return out != null && out.toLowerCase(Locale.ROOT).startsWith("jdbc:");
    }

    static ConnectionConfig config(String url, String user, String passwordEnv, int connections) {
        String password = null;
        if (passwordEnv != null) {
            password = System.getenv(passwordEnv);
            if (password == null) {
                throw new SkyforgeException(ErrorCode.MISSING_VARIABLE, "environment variable " + passwordEnv + " (--password-env) is not set");
            }
        }
        try {
            return new ConnectionConfig(url, user, password, 10, Math.max(1, connections));
        } catch (IllegalArgumentException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, e.getMessage());
        }
    }

    static void load(String url, Options o, CompiledDataset dataset, List<String> tables, int partitions, Integer partition,
                     boolean quiet, PrintWriter out, LongConsumer progress) {
        if (partition != null) {
            // parts commit one by one and are journaled, so a plain re-run already loads exactly the missing ones
            throw new SkyforgeException(ErrorCode.VALIDATION, "--partition is not supported with --out jdbc:"
                    + "; re-run the same command to load the parts that did not commit");
        }
        if (o.connections < 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--connections must be at least 1");
        }
        LoadOptions lo;
        try {
            lo = new LoadOptions(o.createTables, o.append, o.truncate, partitions, o.connections, tables);
        } catch (IllegalArgumentException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, e.getMessage());
        }
        ConnectionConfig config = config(url, o.user, o.passwordEnv, o.connections);
        try (TabularTarget target = TabularProviders.forUrl(url).open(config)) {
            LoadResult r = DatasetLoader.load(dataset, target, lo, progress);
            if (!quiet) {
                out.printf(Locale.ROOT, "loaded %,d rows into %d table(s) of %s (%s) in %.1f s (%,.0f rows/s); %d part(s) loaded, %d already committed%n",
                        r.totalRows(), r.loaded().size(), config.safeUrl(), target.engine(), r.seconds(),
                        r.totalRows() / Math.max(r.seconds(), 1e-9), r.loadedParts(), r.skippedParts());
                out.flush();
            }
        }
    }
}
