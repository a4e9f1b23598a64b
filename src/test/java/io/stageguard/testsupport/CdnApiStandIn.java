package io.stageguard.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cloudflare's and Fastly's purge APIs on 127.0.0.1, answering in their real response shapes
 * (Cloudflare's v4 envelope with success/errors/messages/result, Fastly's {"status":"ok"}) and
 * their real refusals for a wrong token, and recording every call for the tests to assert.
 */
public final class CdnApiStandIn implements AutoCloseable {
    /** One call as received: method, path, the credential header, the body. */
    public record Call(String method, String path, String credential, String body) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final String validCredential;

    private CdnApiStandIn(String validCredential) throws IOException {
        this.validCredential = validCredential;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    /** Answers POST /client/v4/zones/{zone}/purge_cache for the bearer token {@code token}. */
    public static CdnApiStandIn cloudflare(String token) throws IOException {
        CdnApiStandIn api = new CdnApiStandIn("Bearer " + token);
        api.server.createContext("/client/v4/zones/", exchange -> {
            String credential = exchange.getRequestHeaders().getFirst("Authorization");
            api.record(exchange, credential);
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (!api.validCredential.equals(credential)) {
                api.answer(
                        exchange,
                        403,
                        "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[],\"result\":null}");
            } else if (parts.length != 6
                    || !parts[5].equals("purge_cache")
                    || !exchange.getRequestMethod().equals("POST")) {
                api.answer(
                        exchange,
                        404,
                        "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"Could not route to "
                                + exchange.getRequestURI().getPath()
                                + ", perhaps your object identifier is invalid?\"}],\"messages\":[],\"result\":null}");
            } else {
                api.answer(
                        exchange,
                        200,
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"" + parts[4] + "\"}}");
            }
        });
        api.server.start();
        return api;
    }

    /** Answers POST /service/{id}/purge_all for the key {@code key}. */
    public static CdnApiStandIn fastly(String key) throws IOException {
        CdnApiStandIn api = new CdnApiStandIn(key);
        api.server.createContext("/service/", exchange -> {
            String credential = exchange.getRequestHeaders().getFirst("Fastly-Key");
            api.record(exchange, credential);
            if (!api.validCredential.equals(credential)) {
                api.answer(exchange, 401, "{\"msg\":\"Provided credentials are missing or invalid\"}");
            } else if (!exchange.getRequestURI().getPath().endsWith("/purge_all")
                    || !exchange.getRequestMethod().equals("POST")) {
                api.answer(exchange, 404, "{\"msg\":\"Record not found\",\"detail\":\"Cannot find service\"}");
            } else {
                api.answer(exchange, 200, "{\"status\":\"ok\"}");
            }
        });
        api.server.start();
        return api;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
    }

    private void record(HttpExchange exchange, String credential) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), credential, body));
    }

    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
