package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Required;
import io.skyforge.core.validation.Sensitive;
import java.util.Map;

/**
 * One provider account/region ({@code core.mcp/v1 Cloud}). Credentials may be literals (stored
 * encrypted, never returned) or {@code ${VAR}} references resolved from the server's environment
 * where they are used. {@code options} carries adapter settings (part size, conditional writes,
 * probe bucket, ...; docs/providers.md).
 */
public record CloudSpec(
        @Required @OneOf({"s3", "azure-blob", "filesystem"}) String type,
        String endpoint,
        String region,
        String accessKey,
        @Sensitive String secretKey,
        String accountName,
        @Sensitive String accountKey,
        String root,
        Boolean pathStyle,
        Map<String, String> options,
        ComputeSpec compute,
        PricingSpec pricing) {

    public CloudSpec {
        options = options == null ? null : Map.copyOf(options);
    }
}
