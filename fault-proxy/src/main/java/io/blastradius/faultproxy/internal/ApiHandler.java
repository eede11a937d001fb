package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.FaultProxyException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Toxiproxy HTTP API. Requests are decoded on Netty's loop and handled one at a time on the API
 * thread, so the registry needs no locks. Every error is JSON {@code {"error","status"}}.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    public static final String VERSION = "2.12.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Registry registry;
    private final ExecutorService apiThread;
    private final AtomicLong requestIds = new AtomicLong();

    public ApiHandler(Registry registry, ExecutorService apiThread) {
        this.registry = registry;
        this.apiThread = apiThread;
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, Object value) {
            return new Reply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        }

        static Reply empty(int status) {
            return new Reply(status, null, new byte[0]);
        }

        static Reply error(int status, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            body.put("status", status);
            return json(status, body);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        String path = new QueryStringDecoder(request.uri()).path();
        String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
        String body = request.content().toString(StandardCharsets.UTF_8);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        apiThread.execute(() -> {
            Reply reply;
            if (userAgent.startsWith("Mozilla/")) {
                reply = Reply.error(403, "User agent not allowed");
            } else {
                try {
                    reply = route(method, path, body);
                } catch (FaultProxyException e) {
                    reply = Reply.error(e.status(), e.getMessage());
                } catch (RuntimeException e) {
                    reply = Reply.error(500, e.toString());
                }
            }
            respond(ctx, reply, keepAlive);
        });
    }

    private Reply route(HttpMethod method, String path, String body) {
        String[] parts = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        boolean update = post || method.equals(HttpMethod.PATCH);
        boolean delete = method.equals(HttpMethod.DELETE);
        if (parts.length == 1) {
            switch (parts[0]) {
                case "version" -> {
                    return get ? new Reply(200, "application/json;charset=utf-8",
                            ("{\"version\": \"" + VERSION + "\"}\n").getBytes(StandardCharsets.UTF_8)) : notAllowed();
                }
                case "proxies" -> {
                    if (get) {
                        Map<String, Object> all = new LinkedHashMap<>();
                        registry.proxies().forEach((name, proxy) -> all.put(name, proxy.toJson()));
                        return Reply.json(200, all);
                    }
                    return post ? Reply.json(201, registry.create(Registry.proxySpec(parse(body), "")).toJson()) : notAllowed();
                }
                case "populate" -> {
                    return post ? populate(body) : notAllowed();
                }
                case "reset" -> {
                    if (!post) {
                        return notAllowed();
                    }
                    registry.reset();
                    return Reply.empty(204);
                }
                case "metrics" -> {
                    return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                            Metrics.render(registry.proxies()).getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    return notFound();
                }
            }
        }
        if (parts.length >= 2 && parts[0].equals("proxies") && !parts[1].isEmpty()) {
            String proxy = parts[1];
            if (parts.length == 2) {
                if (get) {
                    return Reply.json(200, registry.proxy(proxy).toJson());
                }
                if (update) {
                    registry.update(proxy, parse(body));
                    return Reply.json(200, registry.proxy(proxy).toJson());
                }
                if (delete) {
                    registry.delete(proxy);
                    return Reply.empty(204);
                }
                return notAllowed();
            }
            if (parts[2].equals("toxics") && parts.length == 3) {
                if (get) {
                    return Reply.json(200, registry.proxy(proxy).toxics().stream().map(ToxicConfig::toJson).toList());
                }
                if (post) {
                    Proxy target = registry.proxy(proxy);
                    ToxicConfig toxic = Registry.toxicFrom(parse(body));
                    target.addToxic(toxic);
                    return Reply.json(200, toxic.toJson());
                }
                return notAllowed();
            }
            if (parts[2].equals("toxics") && parts.length == 4 && !parts[3].isEmpty()) {
                String toxic = parts[3];
                if (get) {
                    return Reply.json(200, registry.proxy(proxy).toxic(toxic).toJson());
                }
                if (update) {
                    return Reply.json(200, registry.updateToxic(proxy, toxic, parse(body)).toJson());
                }
                if (delete) {
                    registry.proxy(proxy).removeToxic(toxic);
                    return Reply.empty(204);
                }
                return notAllowed();
            }
        }
        return notFound();
    }

    private Reply populate(String body) {
        JsonNode list = parse(body);
        if (!list.isArray()) {
            return populateError(400, "bad request body: expected a JSON list of proxies", null);
        }
        List<Registry.ProxySpec> specs = new ArrayList<>();
        try {
            for (int i = 0; i < list.size(); i++) {
                specs.add(Registry.proxySpec(list.get(i), " at proxy " + (i + 1)));
            }
        } catch (FaultProxyException e) {
            return populateError(e.status(), e.getMessage(), null);
        }
        List<Proxy> done = new ArrayList<>();
        try {
            registry.populate(specs, done);
        } catch (FaultProxyException e) {
            return populateError(e.status(), e.getMessage(), done);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("proxies", done.isEmpty() ? null : done.stream().map(Proxy::toJson).toList());
        return Reply.json(201, reply);
    }

    private static Reply populateError(int status, String message, List<Proxy> done) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        body.put("proxies", done == null || done.isEmpty() ? null : done.stream().map(Proxy::toJson).toList());
        return Reply.json(status, body);
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            throw FaultProxyException.badRequest("bad request body: EOF");
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw FaultProxyException.badRequest("bad request body: " + e.getOriginalMessage());
        }
    }

    private static Reply notFound() {
        return Reply.error(404, "404 page not found");
    }

    private static Reply notAllowed() {
        return Reply.error(405, "method not allowed");
    }

    private void respond(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        if (reply.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        response.headers().set("X-Toxiproxy-Request-Id", Long.toString(requestIds.incrementAndGet()));
        HttpUtil.setContentLength(response, reply.body().length);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
