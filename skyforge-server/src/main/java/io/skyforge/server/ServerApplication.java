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
@Import({ResourceController.class, DiscoveryController.class, ErrorAdvice.class})
public class ServerApplication {

    private final ServerSettings settings;

    public ServerApplication(ServerSettings settings) {
        this.settings = settings;
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
        return new ResourceService(store, cipher, new Admission(env, Clock.systemUTC()));
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
