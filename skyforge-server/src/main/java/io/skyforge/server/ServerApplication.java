package io.skyforge.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.skyforge.control.resources.Admission;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.core.secret.SecretCipher;
import io.skyforge.server.api.DiscoveryController;
import io.skyforge.server.api.ErrorAdvice;
import io.skyforge.server.api.ResourceController;
import io.skyforge.server.auth.BearerTokenFilter;
import io.skyforge.server.auth.TokenRegistry;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * The Spring wiring of the control plane. Components are listed, not scanned, so start-up stays
 * quick and what runs is visible here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ResourceController.class, DiscoveryController.class, ErrorAdvice.class,
        io.skyforge.server.data.DataController.class, io.skyforge.server.data.ProblemErrorController.class,
        io.skyforge.server.jobs.JobConfiguration.class, io.skyforge.server.sync.SyncConfiguration.class,
        io.skyforge.server.sync.SyncController.class})
public class ServerApplication {

    private final ServerSettings settings;

    public ServerApplication(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * Socket reads and writes of 64 KiB instead of Tomcat's 8 KiB: a 16 MiB upload through the data
     * API was 2,048 reads (a syscall and a copy each), a visible share of the server's CPU per object
     * in the data-API benchmark (bench/README.md).
     */
    @Bean
    org.springframework.boot.tomcat.TomcatConnectorCustomizer socketBuffers() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", "65536");
            connector.setProperty("socket.appWriteBufSize", "65536");
        };
    }

    @Bean(destroyMethod = "close")
    ResourceStore resourceStore() {
        return settings.dbUrl() == null
                ? JdbcResourceStore.openDataDir(settings.dataDir())
                : JdbcResourceStore.open(settings.dbUrl());
    }

    @Bean
    SecretCipher secretCipher() {
        return SecretCipher.forDataDir(settings.dataDir(), System.getenv("SKYFORGE_SECRET_KEY"));
    }

    @Bean
    EnvReferences envReferences() {
        return EnvReferences.system(settings.dataDir().resolve("secrets"));
    }

    @Bean
    ResourceService resourceService(ResourceStore store, SecretCipher cipher, EnvReferences env) {
        return new ResourceService(store, cipher, new Admission(env, Clock.systemUTC())
                .withCheck(new io.skyforge.control.bucket.ResidencyCheck(store)::verify));
    }

    // ---- storage (docs/storage.md): clouds, logical buckets, the write journal

    @Bean(destroyMethod = "close")
    io.skyforge.control.cloud.CloudRegistry cloudRegistry(EnvReferences env) {
        return new io.skyforge.control.cloud.CloudRegistry(env);
    }

    @Bean
    io.skyforge.server.data.CloudMetrics cloudMetrics(MeterRegistry registry) {
        return new io.skyforge.server.data.CloudMetrics(registry);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    io.skyforge.control.cloud.CloudController cloudController(ResourceService service,
            io.skyforge.control.cloud.CloudRegistry registry, io.skyforge.server.data.CloudMetrics metrics,
            org.springframework.core.env.Environment env) {
        java.time.Duration interval = env.getProperty("skyforge.cloud.probe-interval", java.time.Duration.class,
                java.time.Duration.ofSeconds(10));
        java.time.Duration refresh = env.getProperty("skyforge.cloud.status-refresh", java.time.Duration.class,
                java.time.Duration.ofMinutes(1));
        return new io.skyforge.control.cloud.CloudController(service, registry, metrics, interval, refresh, Clock.systemUTC());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    io.skyforge.control.bucket.BucketController bucketController(ResourceService service,
            io.skyforge.control.cloud.CloudController clouds, org.springframework.core.env.Environment env) {
        java.time.Duration interval = env.getProperty("skyforge.bucket.resync-interval", java.time.Duration.class,
                java.time.Duration.ofSeconds(10));
        return new io.skyforge.control.bucket.BucketController(service, clouds, interval, Clock.systemUTC());
    }

    @Bean
    io.skyforge.control.bucket.CopySelector copySelector(io.skyforge.control.cloud.CloudRegistry registry) {
        return new io.skyforge.control.bucket.CopySelector(registry);
    }

    @Bean
    io.skyforge.server.data.UploadBudget uploadBudget(org.springframework.core.env.Environment env) {
        java.time.Duration wait = env.getProperty("skyforge.data.upload-wait", java.time.Duration.class,
                java.time.Duration.ofSeconds(60));
        org.springframework.util.unit.DataSize size = env.getProperty("skyforge.data.upload-memory",
                org.springframework.util.unit.DataSize.class);
        return size == null ? io.skyforge.server.data.UploadBudget.forHeap(Runtime.getRuntime(), wait)
                : new io.skyforge.server.data.UploadBudget(size.toBytes(), wait);
    }

    @Bean
    io.skyforge.control.journal.WriteJournal writeJournal(ResourceStore store) {
        return new io.skyforge.control.journal.WriteJournal(((JdbcResourceStore) store).dataSource());
    }

    @Bean
    TokenRegistry tokenRegistry() {
        return TokenRegistry.open(settings.dataDir(), System.getenv("SKYFORGE_ADMIN_TOKEN"));
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TokenRegistry tokens) {
        FilterRegistrationBean<BearerTokenFilter> reg = new FilterRegistrationBean<>(
                new BearerTokenFilter(tokens, settings.dataDir()));
        reg.addUrlPatterns("/*");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    @Bean
    HealthIndicator storeHealth(ResourceStore store) {
        return () -> {
            try {
                return Health.up().withDetail("resourceVersion", store.currentResourceVersion()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        };
    }

    /** A fixed description (relative server URL, bearer security) so docs/openapi.yaml is stable across ports. */
    @Bean
    io.swagger.v3.oas.models.OpenAPI openApi() {
        return new io.swagger.v3.oas.models.OpenAPI()
                .info(new io.swagger.v3.oas.models.info.Info()
                        .title("Skyforge API")
                        .version("v1")
                        .description("Kubernetes-style resource API of the Skyforge control plane. Errors are RFC 9457"
                                + " application/problem+json with a stable `code` (docs/errors.md).")
                        .license(new io.swagger.v3.oas.models.info.License().name("Apache-2.0")))
                .servers(java.util.List.of(new io.swagger.v3.oas.models.servers.Server().url("/")))
                .components(new io.swagger.v3.oas.models.Components().addSecuritySchemes("bearer",
                        new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("bearer"));
    }

    @Bean
    StoreMetrics storeMetrics(ResourceStore store, MeterRegistry registry) {
        return new StoreMetrics(store, registry);
    }
}
