// Example app: a JDK-only HTTP server (com.sun.net.httpserver) that, with LEAK=1, keeps one
// SessionRecord per request in a static list (a leak on purpose). LEAK=0 makes it a clean server.
// Runs as a single source file: `java Leak.java` (Java 11+).
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class Leak {
    /** What the server "remembers" about each request: a small object with a payload. */
    static final class SessionRecord {
        final long id;
        final long createdAt;
        final String path;
        final byte[] payload;

        SessionRecord(long id, String path, int payloadBytes) {
            this.id = id;
            this.createdAt = System.nanoTime();
            this.path = path;
            this.payload = new byte[payloadBytes];
        }
    }

    static final List<SessionRecord> SESSIONS = new ArrayList<>();
    static final AtomicLong REQUESTS = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "3909"));
        boolean leak = env("LEAK", "1").equals("1");
        int payloadBytes = Integer.parseInt(env("PAYLOAD_BYTES", "256"));
        // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold every keep-alive response for 40 ms. Read once, at first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.createContext("/healthz", ex -> reply(ex, "ok\n"));
        server.createContext("/", ex -> {
            long n = REQUESTS.incrementAndGet();
            int kept;
            synchronized (SESSIONS) {
                if (leak) SESSIONS.add(new SessionRecord(n, ex.getRequestURI().getPath(), payloadBytes));
                kept = SESSIONS.size();
            }
            reply(ex, "{\"requests\":" + n + ",\"retained\":" + kept + "}\n");
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("java-leak listening on PORT " + port + (leak ? " (keeping a SessionRecord per request)" : " (clean)"));
        System.out.flush();
    }

    static void reply(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
