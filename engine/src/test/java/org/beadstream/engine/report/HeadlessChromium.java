package org.beadstream.engine.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Test helper: opens a page in Debian's headless Chromium and talks to it over the DevTools protocol (a WebSocket from
 * the JDK's HttpClient, no extra dependency) to collect console errors, exceptions and the load state of every image.
 * Not thread-safe; one page per instance.
 */
final class HeadlessChromium implements AutoCloseable {

    /** What the page showed. */
    record PageCheck(int images, int imagesLoaded, List<String> consoleErrors, String title) {
    }

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentHashMap<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    HeadlessChromium(final Path profileDir) throws Exception {
        process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--allow-file-access-from-files", "--remote-debugging-port=0",
                "--user-data-dir=" + profileDir, "about:blank").redirectErrorStream(true).start();
        final BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        final Pattern p = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
        String browserWs = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final List<String> seen = new ArrayList<>();
        while (browserWs == null && System.nanoTime() < deadline) {
            final String line = r.readLine();
            if (line == null) {
                break;
            }
            seen.add(line);
            final Matcher m = p.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not start its DevTools endpoint: " + seen);
        }
        final Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (final IOException ignored) {
                // process ended
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        final URI u = URI.create(browserWs);
        final HttpClient http = HttpClient.newHttpClient();
        final String list = http.send(HttpRequest.newBuilder(URI.create("http://" + u.getHost() + ":" + u.getPort()
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (final JsonNode t : JSON.readTree(list)) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("chromium has no page target: " + list);
        }
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(pageWs), new Listener()).get(30, TimeUnit.SECONDS);
        call("Runtime.enable", null);
        call("Log.enable", null);
        call("Page.enable", null);
    }

    /** Loads {@code file} and reports its images and console errors. */
    PageCheck open(final Path file) throws Exception {
        final ObjectNode params = JSON.createObjectNode().put("url", file.toUri().toString());
        call("Page.navigate", params);
        loaded.get(60, TimeUnit.SECONDS);
        final String js = "JSON.stringify({n: document.images.length, ok: Array.from(document.images)"
                + ".filter(i => i.complete && i.naturalWidth > 0).length, title: document.title})";
        final JsonNode res = call("Runtime.evaluate", JSON.createObjectNode().put("expression", js)
                .put("returnByValue", true));
        final JsonNode v = JSON.readTree(res.path("result").path("value").asText());
        return new PageCheck(v.path("n").asInt(), v.path("ok").asInt(), List.copyOf(errors), v.path("title").asText());
    }

    private JsonNode call(final String method, final ObjectNode params) throws Exception {
        final int id = ids.incrementAndGet();
        final ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        final CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(20, TimeUnit.SECONDS);
        final JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
            buf.append(data);
            if (last) {
                handle(buf.toString());
                buf.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void handle(final String text) {
            try {
                final JsonNode m = JSON.readTree(text);
                if (m.has("id")) {
                    final CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                    if (f != null) {
                        f.complete(m);
                    }
                    return;
                }
                final String method = m.path("method").asText();
                final JsonNode p = m.path("params");
                switch (method) {
                    case "Runtime.exceptionThrown":
                        errors.add("exception: " + p.path("exceptionDetails").path("text").asText() + " "
                                + p.path("exceptionDetails").path("exception").path("description").asText());
                        break;
                    case "Runtime.consoleAPICalled":
                        if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
                            errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                        }
                        break;
                    case "Log.entryAdded":
                        if ("error".equals(p.path("entry").path("level").asText())) {
                            errors.add("log: " + p.path("entry").path("text").asText() + " "
                                    + p.path("entry").path("url").asText());
                        }
                        break;
                    case "Page.loadEventFired":
                        loaded.complete(null);
                        break;
                    default:
                        break;
                }
            } catch (final IOException e) {
                errors.add("unreadable DevTools message: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (final RuntimeException ignored) {
            // the browser is going away anyway
        }
        // Chromium runs helper processes that keep writing to the profile for a moment: end them all and wait, so the
        // profile folder can be deleted afterwards.
        final List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (final ProcessHandle p : all) {
            p.destroy();
        }
        for (final ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                p.destroyForcibly();
            }
        }
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }
}
