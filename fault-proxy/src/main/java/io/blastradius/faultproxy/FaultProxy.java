package io.blastradius.faultproxy;

import io.blastradius.faultproxy.internal.ApiHandler;
import io.blastradius.faultproxy.internal.Registry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Toxiproxy-compatible fault-injection proxy, embeddable: {@code FaultProxy.start(options)} serves
 * the Toxiproxy HTTP API, so the official clients (toxiproxy-java, the Go client, toxiproxy-cli) drive
 * it unchanged; {@link #close()} stops it and every proxy.
 */
public final class FaultProxy implements AutoCloseable {

    /** The largest API request body: a proxy or a toxic is a few hundred bytes; a populate of hundreds fits. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** The largest config file ({@code -config}). */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    private final EventLoopGroup proxyLoops;
    private final EventLoopGroup apiLoop;
    private final ExecutorService apiThread;
    private final Registry registry;
    private final ApiHandler handler;
    private Channel api;

    private FaultProxy(FaultProxyOptions options) {
        this.proxyLoops = new MultiThreadIoEventLoopGroup(options.threads(), NioIoHandler.newFactory());
        this.apiLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.apiThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fault-proxy-api");
            thread.setDaemon(true);
            return thread;
        });
        this.registry = new Registry(proxyLoops, options.seed());
        this.handler = new ApiHandler(registry, apiThread);
    }

    /**
     * Creates the proxies (and toxics) of a config file, if any, as {@code POST /populate} would, and then starts
     * the API: as toxiproxy-server does, the API is never seen with half of the config.
     */
    public static FaultProxy start(FaultProxyOptions options) {
        FaultProxy proxy = new FaultProxy(options);
        try {
            if (options.config() != null) {
                proxy.populate(options.config());
            }
            proxy.listen(options);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private void listen(FaultProxyOptions options) {
        ChannelFuture bind = new ServerBootstrap()
                .group(apiLoop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // a body past the limit is answered 413 by the aggregator, before it is buffered
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES), handler);
                    }
                })
                .bind(new InetSocketAddress(options.host(), options.port()))
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new FaultProxyException(500, "cannot serve the API on " + options.host() + ":" + options.port()
                    + ": " + bind.cause().getMessage());
        }
        this.api = bind.channel();
    }

    /** Where the API listens: {@code http://host:port}. */
    public String apiUrl() {
        InetSocketAddress address = (InetSocketAddress) api.localAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    public int apiPort() {
        return ((InetSocketAddress) api.localAddress()).getPort();
    }

    private void populate(Path config) {
        JsonNode list;
        try {
            long size = Files.size(config);
            if (size > MAX_CONFIG_BYTES) {
                throw new FaultProxyException(400, String.format(Locale.ROOT, "config %s is %,d bytes; a config may be at most %,d bytes",
                        config, size, MAX_CONFIG_BYTES));
            }
            list = JsonMapper.builder().build().readTree(Files.readString(config));
        } catch (IOException | RuntimeException e) {
            if (e instanceof FaultProxyException refused) {
                throw refused;
            }
            throw new FaultProxyException(400, "cannot read config " + config + ": " + e.getMessage());
        }
        if (!list.isArray()) {
            throw new FaultProxyException(400, "config " + config + " must be a JSON list of proxies");
        }
        List<Registry.ProxySpec> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            specs.add(Registry.proxySpec(list.get(i), " at proxy " + (i + 1) + " of " + config));
        }
        onApiThread(() -> registry.populate(specs, new ArrayList<>()));
    }

    private void onApiThread(Runnable task) {
        try {
            apiThread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultProxyException(500, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new FaultProxyException(500, e.getCause().toString());
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close().awaitUninterruptibly();
        }
        try {
            onApiThread(registry::close);
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        apiThread.shutdownNow();
        shutdownLoops();
    }

    private void shutdownLoops() {
        apiLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        proxyLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
