package io.skyforge.server.auth;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens, kept only as SHA-256 hashes in {@code <data-dir>/tokens}. On first start an admin
 * token is made and written once, in plain text for the CLI, to {@code <data-dir>/admin.token}
 * with mode 0600; {@code SKYFORGE_ADMIN_TOKEN} fixes it instead (for scripted set-ups).
 */
public final class TokenRegistry {

    public static final String ADMIN_TOKEN_FILE = "admin.token";
    private static final String HASH_FILE = "tokens";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> hashToName;

    private TokenRegistry(Map<String, String> hashToName) {
        this.hashToName = Map.copyOf(hashToName);
    }

    public static TokenRegistry open(Path dataDir, String fixedAdminToken) {
        try {
            Files.createDirectories(dataDir);
            Path hashes = dataDir.resolve(HASH_FILE);
            Map<String, String> known = new LinkedHashMap<>();
            if (Files.exists(hashes)) {
                for (String line : Files.readAllLines(hashes, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("\\s+", 2);
                    if (parts.length == 2) {
                        known.put(parts[0], parts[1]);
                    }
                }
            }
            Path adminFile = dataDir.resolve(ADMIN_TOKEN_FILE);
            String admin = fixedAdminToken;
            if (admin == null && (!known.containsValue("admin") || !Files.exists(adminFile))) {
                admin = "sft_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
            }
            if (admin != null) {
                String hash = hash(admin);
                known.values().removeIf("admin"::equals);
                known.put(hash, "admin");
                writePrivate(adminFile, admin + "\n");
                StringBuilder sb = new StringBuilder();
                known.forEach((h, n) -> sb.append(h).append(' ').append(n).append('\n'));
                writePrivate(hashes, sb.toString());
            }
            return new TokenRegistry(known);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot set up API tokens in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The name the token belongs to, when it is a known token. Compares hashes in constant time. */
    public Optional<String> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = HexFormat.of().parseHex(hash(token.strip()));
        for (Map.Entry<String, String> e : hashToName.entrySet()) {
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(e.getKey()))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Written to a 0600 temp file first and moved, so the secret is never readable by others, even briefly. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
