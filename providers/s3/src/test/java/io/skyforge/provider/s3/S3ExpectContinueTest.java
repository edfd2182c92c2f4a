package io.skyforge.provider.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.PutOptions;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the adapter puts on the wire for uploads of either size, seen by a bare HTTP server on loopback. */
class S3ExpectContinueTest {

    /** Request heads as received, lower-cased; answers every PUT with 200 and an ETag. */
    private static final class RecordingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> heads = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::serve, "recording-s3");

        RecordingServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    // One thread per connection: the adapter keeps two pools (with and without 100-continue).
                    Thread t = new Thread(() -> answer(s), "recording-s3-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    // The test is over.
                }
            }
        }

        private void answer(Socket connection) {
            try (Socket s = connection) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                String head;
                while ((head = readHead(in)) != null) {
                    heads.add(head);
                    if (head.contains("expect: 100-continue")) {
                        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    in.readNBytes((int) contentLength(head));
                    out.write(("HTTP/1.1 200 OK\r\nETag: \"0123456789abcdef0123456789abcdef\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException dropped) {
                // The client closed the connection.
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    return head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                }
            }
            return null;
        }

        private static long contentLength(String head) {
            return head.lines().filter(l -> l.startsWith("content-length:"))
                    .mapToLong(l -> Long.parseLong(l.substring("content-length:".length()).trim())).findFirst().orElse(0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void shouldAskForContinueOnlyBeforeSendingALargeBody() throws Exception {
        try (RecordingServer server = new RecordingServer();
             ObjectStore store = ObjectStores.open(ObjectStoreConfig.builder("s3").name("recorded")
                     .endpoint("http://127.0.0.1:" + server.socket.getLocalPort()).accessKey("a").secretKey("b")
                     .option("unsigned_payload", "true").build())) {
            store.put("bucket-x", "small", new ByteArrayInputStream(new byte[64 * 1024]), PutOptions.DEFAULT.withContentLength(64 * 1024));
            int large = 2 * 1024 * 1024;
            store.put("bucket-x", "large", new ByteArrayInputStream(new byte[large]), PutOptions.DEFAULT.withContentLength(large));
            assertThat(server.heads).hasSize(2);
            assertThat(server.heads.get(0)).startsWith("put /bucket-x/small").doesNotContain("expect:");
            assertThat(server.heads.get(1)).startsWith("put /bucket-x/large").contains("expect: 100-continue");
        }
    }
}
