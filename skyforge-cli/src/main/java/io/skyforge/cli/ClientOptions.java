package io.skyforge.cli;

import io.skyforge.core.model.Kinds;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a client command finds and authenticates to the server. */
public final class ClientOptions {

    @Option(names = "--server", description = "server URL (default: $SKYFORGE_SERVER or http://127.0.0.1:8080)")
    String server;

    @Option(names = "--token", description = "API token (default: $SKYFORGE_TOKEN or ~/.skyforge/admin.token)")
    String token;

    @Option(names = {"-n", "--namespace"}, description = "namespace (default: the document's, else 'default')")
    String namespace;

    public ApiClient client() {
        return new ApiClient(serverUrl(), token());
    }

    public String serverUrl() {
        if (server != null) {
            return server;
        }
        String env = System.getenv("SKYFORGE_SERVER");
        return env != null && !env.isBlank() ? env : "http://127.0.0.1:8080";
    }

    String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv("SKYFORGE_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path file = Path.of(System.getProperty("user.home"), ".skyforge", "admin.token");
        if (Files.isReadable(file)) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new SkyforgeException(ErrorCode.IO, "cannot read " + file + ": " + e.getMessage());
            }
        }
        return null;
    }

    public String namespaceOrDefault() {
        return namespace == null ? Kinds.DEFAULT_NAMESPACE : namespace;
    }
}
