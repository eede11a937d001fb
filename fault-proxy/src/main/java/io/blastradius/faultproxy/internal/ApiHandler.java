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
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Toxiproxy HTTP API. Requests are decoded on Netty's loop and handled one at a time on the API
 * thread, so the registry needs no locks. Every error is JSON {@code {"error","status"}}, from the
 * {@link ApiError} table; the JSON itself is {@link ApiJson}'s.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    public static final String VERSION = "2.12.0";

    private final Registry registry;
    private final ExecutorService apiThread;
    private final AtomicLong requestIds = new AtomicLong();

    public ApiHandler(Registry registry, ExecutorService apiThread) {
        this.registry = registry;
        this.apiThread = apiThread;
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, Object value) {
            return new Reply(status, "application/json; charset=utf-8", ApiJson.write(value));
        }

        static Reply empty(int status) {
            return new Reply(status, null, new byte[0]);
        }

        static Reply error(FaultProxyException e) {
            return json(e.status(), ApiJson.error(e.status(), e.getMessage(), null));
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        boolean all = uri.parameters().getOrDefault("all", List.of()).contains("true");
        String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
        String body = request.content().toString(StandardCharsets.UTF_8);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        apiThread.execute(() -> {
            Reply reply;
            try {
                if (userAgent.startsWith("Mozilla/")) {
                    throw ApiError.USER_AGENT_REFUSED.exception();
                }
                reply = route(method, path, body, all);
            } catch (FaultProxyException e) {
                reply = Reply.error(e);
            } catch (RuntimeException e) {
                reply = Reply.error(ApiError.SYSTEM.exception(e.toString()));
            }
            respond(ctx, reply, keepAlive);
        });
    }

    /** {@code listAll}: {@code ?all=true}, listing toxics of the types beyond Toxiproxy's too. */
    private Reply route(HttpMethod method, String path, String body, boolean listAll) {
        String[] parts = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        boolean update = post || method.equals(HttpMethod.PATCH);
        boolean delete = method.equals(HttpMethod.DELETE);
        if (parts.length == 1) {
            switch (parts[0]) {
                case "version" -> {
                    allowed(get);
                    return new Reply(200, "application/json;charset=utf-8", ("{\"version\": \"" + VERSION + "\"}\n").getBytes(StandardCharsets.UTF_8));
                }
                case "proxies" -> {
                    allowed(get || post);
                    if (get) {
                        Map<String, Object> all = new LinkedHashMap<>();
                        registry.proxies().forEach((name, proxy) -> all.put(name, ApiJson.proxy(proxy)));
                        return Reply.json(200, all);
                    }
                    return Reply.json(201, ApiJson.proxy(registry.create(ApiJson.proxySpec(ApiJson.parse(body), ""))));
                }
                case "populate" -> {
                    allowed(post);
                    return populate(body);
                }
                case "reset" -> {
                    allowed(post);
                    registry.reset();
                    return Reply.empty(204);
                }
                case "metrics" -> {
                    return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                            Metrics.render(registry.proxies()).getBytes(StandardCharsets.UTF_8));
                }
                default -> throw ApiError.PAGE_NOT_FOUND.exception();
            }
        }
        if (parts.length >= 2 && parts[0].equals("proxies") && !parts[1].isEmpty()) {
            String proxy = parts[1];
            if (parts.length == 2) {
                allowed(get || update || delete);
                Proxy found = registry.proxy(proxy);
                if (get) {
                    return Reply.json(200, ApiJson.proxy(found));
                }
                if (update) {
                    return Reply.json(200, ApiJson.proxy(registry.update(proxy, ApiJson.proxyChange(ApiJson.parse(body)))));
                }
                registry.delete(proxy);
                return Reply.empty(204);
            }
            if (parts[2].equals("toxics") && parts.length == 3) {
                allowed(get || post);
                if (get) {
                    return Reply.json(200, registry.proxy(proxy).toxics().stream().filter(t -> listAll || !t.kind().beyondToxiproxy())
                            .map(ApiJson::toxic).toList());
                }
                Proxy target = registry.proxy(proxy);
                ToxicConfig added = ApiJson.toxic(ApiJson.parse(body));
                target.addToxic(added);
                return Reply.json(200, ApiJson.toxic(added));
            }
            if (parts[2].equals("toxics") && parts.length == 4 && !parts[3].isEmpty()) {
                String toxic = parts[3];
                allowed(get || update || delete);
                if (get) {
                    return Reply.json(200, ApiJson.toxic(registry.proxy(proxy).toxic(toxic)));
                }
                if (update) {
                    return Reply.json(200, ApiJson.toxic(registry.updateToxic(proxy, toxic, kind -> ApiJson.toxicChange(kind, ApiJson.parse(body)))));
                }
                registry.proxy(proxy).removeToxic(toxic);
                return Reply.empty(204);
            }
        }
        throw ApiError.PAGE_NOT_FOUND.exception();
    }

    private static void allowed(boolean allowed) {
        if (!allowed) {
            throw ApiError.METHOD_NOT_ALLOWED.exception();
        }
    }

    /** {@code /populate} writes its errors itself, with the proxies done before the error. */
    private Reply populate(String body) {
        List<Proxy> done = new ArrayList<>();
        try {
            JsonNode list = ApiJson.parse(body);
            if (!list.isArray()) {
                throw ApiError.BAD_REQUEST_BODY.exception("expected a JSON list of proxies");
            }
            List<Registry.ProxySpec> specs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                specs.add(ApiJson.proxySpec(list.get(i), " at proxy " + (i + 1)));
            }
            registry.populate(specs, done);
        } catch (FaultProxyException e) {
            return Reply.json(e.status(), ApiJson.error(e.status(), e.getMessage(), done));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("proxies", done.isEmpty() ? null : ApiJson.proxies(done));
        return Reply.json(201, reply);
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
