package io.skyforge.cli;

import io.skyforge.schema.mapping.SchemaMapper;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.DatabaseSchema;
import io.skyforge.spi.tabular.TabularProviders;
import io.skyforge.spi.tabular.TabularTarget;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code skyforge schema import}: a live database's schema as an editable Dataset. */
@Command(name = "schema", description = "Work with live database schemas.", subcommands = SchemaCommand.Import.class)
public final class SchemaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", description = {
        "Read the schema of a PostgreSQL, MySQL or MariaDB database and print it as a Dataset (YAML).",
        "Keys, unique constraints, foreign keys, enums and simple CHECKs become generators; the rest is noted in descriptions."})
    static final class Import implements Callable<Integer> {

        @Option(names = "--jdbc", required = true, paramLabel = "URL",
                description = "e.g. jdbc:postgresql://127.0.0.1:5432/mydb?user=postgres or jdbc:mariadb://127.0.0.1:3306/mydb?user=root")
        String jdbc;

        @Option(names = "--user", paramLabel = "U", description = "user name (else from the URL)")
        String user;

        @Option(names = "--password-env", paramLabel = "VAR", description = "read the password from this environment variable")
        String passwordEnv;

        @Option(names = "--schema", paramLabel = "S", description = "PostgreSQL schema or MySQL database (default: the connection's)")
        String schema;

        @Option(names = "--tables", split = ",", paramLabel = "T1,T2", description = "only these tables")
        List<String> tables = new ArrayList<>();

        @Option(names = "--rows-from-stats", description = "row counts from the database's table statistics (else --rows each)")
        boolean rowsFromStats;

        @Option(names = "--rows", paramLabel = "N", defaultValue = "1000", description = "row count per table (default: ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--lenient", description = "map column types the engine cannot generate to safe ones instead of failing")
        boolean lenient;

        @Option(names = "--name", paramLabel = "NAME", description = "the Dataset's name (default: the schema or database name)")
        String name;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "the Dataset's seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (rows < 0) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "--rows must not be negative, got " + rows);
            }
            ConnectionConfig config = JdbcOutput.config(jdbc, user, passwordEnv, 1);
            try (TabularTarget target = TabularProviders.forUrl(jdbc).open(config)) {
                DatabaseSchema db = target.readSchema(schema, tables);
                if (db.tables().isEmpty()) {
                    throw new SkyforgeException(ErrorCode.NOT_FOUND, "no tables in " + db.engine() + " schema " + db.schema());
                }
                String datasetName = name != null ? name : db.schema().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
                ObjectNode dataset = SchemaMapper.map(db, new SchemaMapper.Options(datasetName, rowsFromStats, rows, lenient, seed));
                PrintWriter out = spec.commandLine().getOut();
                out.print(SchemaMapper.toYaml(dataset, db, config));
                out.flush();
            }
            return Main.OK;
        }
    }
}
