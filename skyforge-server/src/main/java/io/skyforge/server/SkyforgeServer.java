package io.skyforge.server;

import io.skyforge.control.resources.ResourceService;
import io.skyforge.core.Manifests;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the control plane (Spring Boot) on the given settings; used by {@code skyforge server} and tests. */
public final class SkyforgeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SkyforgeServer.class);
    static final String AZURE_RESTRICTED_HEADER_LOGGER = "com.azure.core.http.jdk.httpclient.JdkHttpClient";

    private final ConfigurableApplicationContext context;
    private final ServerSettings settings;

    private SkyforgeServer(ConfigurableApplicationContext context, ServerSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /**
     * Validates the config file first (every problem, and every unset {@code ${VAR}} it needs, is
     * reported before anything starts or is stored), then starts the server and applies the file.
     */
    public static SkyforgeServer start(ServerSettings settings) {
        List<Resource> configured = settings.configFile() == null ? List.of() : readConfig(settings.configFile(),
                EnvReferences.system(settings.dataDir().resolve("secrets")));
        SpringApplication app = new SpringApplication(ServerApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(properties(settings));
        app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("serverSettings", settings));
        ConfigurableApplicationContext ctx = app.run();
        SkyforgeServer server = new SkyforgeServer(ctx, settings);
        if (!configured.isEmpty()) {
            ResourceService service = ctx.getBean(ResourceService.class);
            for (Resource r : configured) {
                ResourceKind kind = Kinds.of(r);
                service.upsert(kind, r.namespace(), r.name(), r);
            }
            LOG.info("applied {} resources from {}", configured.size(), settings.configFile());
        }
        return server;
    }

    static List<Resource> readConfig(Path file, EnvReferences env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, "cannot read the config file " + file + ": " + e.getMessage());
        }
        List<Resource> resources = Manifests.read(file.toString(), text);
        List<Violation> missing = new ArrayList<>();
        for (Resource r : resources) {
            for (var e : r.spec().properties()) {
                if (e.getValue().isString()) {
                    for (String name : env.missing(e.getValue().asString())) {
                        missing.add(Violation.at(r.kind() + " " + r.name() + " spec." + e.getKey(),
                                "environment variable " + name + " is not set"));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SkyforgeException(ErrorCode.MISSING_VARIABLE, file + " needs environment variables that are not set: "
                    + String.join(", ", missing.stream().map(v -> v.message().split(" ")[2]).distinct().toList()),
                    missing);
        }
        return resources;
    }

    private static Map<String, Object> properties(ServerSettings s) {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", s.port());
        p.put("server.address", s.address());
        // Where compute backends resolve ${VAR} from files, as the cloud registry does (EnvReferences).
        p.put("skyforge.secrets-dir", s.dataDir().resolve("secrets").toString());
        p.put("spring.web.resources.add-mappings", "false");
        p.put("spring.mvc.problemdetails.enabled", "false");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoint.health.probes.enabled", "true");
        p.put("management.endpoint.health.show-details", "never");
        p.put("springdoc.api-docs.path", "/v3/api-docs");
        p.put("springdoc.api-docs.enabled", "true");
        // Flyway warns that H2 2.4 is newer than it was verified with; our migrations are tested on it.
        p.put("logging.level.org.flywaydb.core.internal.database.base.Database", "ERROR");
        // The Azure SDK sets Content-Length on every request and its JDK HTTP client warns, per request, that
        // the JDK computes that header itself (harmless). That is the only warning this logger emits; its
        // errors still show.
        p.put("logging.level." + AZURE_RESTRICTED_HEADER_LOGGER, "ERROR");
        p.put("springdoc.writer-with-order-by-keys", "true");
        p.put("logging.level.root", "WARN");
        p.put("logging.level.io.skyforge", "INFO");
        p.put("spring.jmx.enabled", "false");
        return p;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String url() {
        String host = settings.address().contains(":") ? "[" + settings.address() + "]" : settings.address();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public ServerSettings settings() {
        return settings;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public Path adminTokenFile() {
        return settings.dataDir().resolve(io.skyforge.server.auth.TokenRegistry.ADMIN_TOKEN_FILE);
    }

    @Override
    public void close() {
        context.close();
    }
}
