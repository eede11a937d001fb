package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.FaultProxyException;
import io.blastradius.faultproxy.internal.ToxicConfig.Direction;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A named proxy: a listener, an upstream address, an enabled flag and two chains of toxics. Changes
 * come from the API's single thread; connections live on Netty event loops.
 */
public final class Proxy {

    /**
     * How long a connection to the upstream may take before the client's connection is closed. The client
     * connected to the proxy at once, so its own connect timeout cannot see a dead upstream: a crashed
     * container's address answers nothing (no refusal, as a dead local port gives), and without this bound
     * the client would wait for its response timeout. On loopback and a container network a connection
     * takes well under a millisecond; 500 ms is the gateway's own connect timeout.
     */
    static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 500;
    static final int REBIND_ATTEMPTS = 10;
    static final int REBIND_PAUSE_MILLIS = 20;

    private final String name;
    private final EventLoopGroup group;
    private final long seed;
    private String listen;
    private String upstream;
    private boolean enabled;
    private final List<ToxicConfig> upstreamToxics = new CopyOnWriteArrayList<>();
    private final List<ToxicConfig> downstreamToxics = new CopyOnWriteArrayList<>();
    private Channel server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIndex = new AtomicLong();
    private final Map<String, ToxicCounters> counters = new ConcurrentHashMap<>();
    final LongAdder connectionsTotal = new LongAdder();
    final Map<Direction, LongAdder> received = Map.of(Direction.UPSTREAM, new LongAdder(), Direction.DOWNSTREAM, new LongAdder());
    final Map<Direction, LongAdder> sent = Map.of(Direction.UPSTREAM, new LongAdder(), Direction.DOWNSTREAM, new LongAdder());

    Proxy(String name, String listen, String upstream, boolean enabled, EventLoopGroup group, long seed) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.enabled = enabled;
        this.group = group;
        this.seed = seed;
    }

    public String name() {
        return name;
    }

    public String listen() {
        return listen;
    }

    public String upstream() {
        return upstream;
    }

    public boolean enabled() {
        return enabled;
    }

    public int activeConnections() {
        return connections.size();
    }

    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    public long receivedBytes(Direction direction) {
        return received.get(direction).sum();
    }

    public long sentBytes(Direction direction) {
        return sent.get(direction).sum();
    }

    /** Counters of every toxic this proxy has or had, by name. */
    public Map<String, ToxicCounters> toxicCounters() {
        return counters;
    }

    ToxicCounters counters(String toxic) {
        return counters.computeIfAbsent(toxic, t -> new ToxicCounters());
    }

    void closed(Connection connection) {
        connections.remove(connection);
    }

    /**
     * Binds the listener if enabled. The bound address replaces the requested one (":0" becomes a port). A
     * port this proxy has just closed may still be held for a moment (Java closes a listening socket registered
     * with a selector only when its event loop next deregisters it), so a bind refused with "address already in
     * use" is tried again, for at most {@value #REBIND_ATTEMPTS} × {@value #REBIND_PAUSE_MILLIS} ms.
     */
    void start() {
        if (!enabled) {
            return;
        }
        InetSocketAddress address = Addresses.parse(listen, "listen");
        ChannelFuture bind = bind(address);
        for (int attempt = 1; attempt < REBIND_ATTEMPTS && !bind.isSuccess() && bind.cause() instanceof BindException; attempt++) {
            try {
                Thread.sleep(REBIND_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            bind = bind(address);
        }
        if (!bind.isSuccess()) {
            throw ApiError.SYSTEM.exception("listen tcp " + listen + ": " + bind.cause().getMessage());
        }
        server = bind.channel();
        listen = Addresses.format((InetSocketAddress) server.localAddress());
    }

    private ChannelFuture bind(InetSocketAddress address) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        accept(client);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
    }

    /** Closes the listener and every live connection; toxics stay. */
    void stop() {
        if (server != null) {
            server.close().awaitUninterruptibly();
            server = null;
        }
        for (Connection connection : List.copyOf(connections)) {
            connection.client().eventLoop().execute(() -> connection.close(false));
        }
        connections.clear();
    }

    void setEnabled(boolean enabled) {
        if (enabled == this.enabled) {
            return;
        }
        this.enabled = enabled;
        if (enabled) {
            start();
        } else {
            stop();
        }
    }

    /** New addresses restart the proxy (dropping connections); the same ones change nothing. */
    void setAddresses(String newListen, String newUpstream) {
        boolean listenChanged = newListen != null && !Addresses.sameEndpoint(newListen, listen);
        boolean upstreamChanged = newUpstream != null && !newUpstream.equals(upstream);
        if (newUpstream != null) {
            Addresses.parse(newUpstream, "upstream");
        }
        if (!listenChanged && !upstreamChanged) {
            return;
        }
        String oldListen = listen;
        stop();
        if (listenChanged) {
            listen = newListen;
        }
        if (upstreamChanged) {
            upstream = newUpstream;
        }
        try {
            start();
        } catch (FaultProxyException e) {
            listen = oldListen;
            start();
            throw e;
        }
    }

    List<ToxicConfig> toxics() {
        List<ToxicConfig> all = new ArrayList<>(upstreamToxics);
        all.addAll(downstreamToxics);
        return all;
    }

    ToxicConfig toxic(String toxicName) {
        return toxics().stream().filter(t -> t.name().equals(toxicName)).findFirst()
                .orElseThrow(ApiError.TOXIC_NOT_FOUND::exception);
    }

    void addToxic(ToxicConfig toxic) {
        if (toxics().stream().anyMatch(t -> t.name().equals(toxic.name()))) {
            throw ApiError.TOXIC_EXISTS.exception();
        }
        chain(toxic.direction()).add(toxic);
        counters.put(toxic.name(), new ToxicCounters());
        applyToConnections(Set.of());
    }

    void replaceToxic(ToxicConfig updated) {
        List<ToxicConfig> chain = chain(updated.direction());
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).name().equals(updated.name())) {
                chain.set(i, updated);
            }
        }
        applyToConnections(Set.of());
    }

    void removeToxic(String toxicName) {
        ToxicConfig toxic = toxic(toxicName);
        chain(toxic.direction()).remove(toxic);
        applyToConnections(Set.of(toxicName));
    }

    void removeAllToxics() {
        Set<String> names = new HashSet<>();
        toxics().forEach(t -> names.add(t.name()));
        upstreamToxics.clear();
        downstreamToxics.clear();
        if (!names.isEmpty()) {
            applyToConnections(names);
        }
    }

    private List<ToxicConfig> chain(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamToxics : downstreamToxics;
    }

    private void applyToConnections(Set<String> removed) {
        List<ToxicConfig> up = List.copyOf(upstreamToxics);
        List<ToxicConfig> down = List.copyOf(downstreamToxics);
        List<Future<?>> applied = new ArrayList<>();
        for (Connection connection : connections) {
            applied.add(connection.apply(up, down, removed));
        }
        // the API answers once live connections carry the change, as Toxiproxy's does
        for (Future<?> future : applied) {
            future.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void accept(SocketChannel client) {
        if (!enabled) {
            client.close();
            return;
        }
        long index = connectionIndex.incrementAndGet();
        InetSocketAddress target;
        try {
            target = Addresses.parse(upstream, "upstream");
        } catch (FaultProxyException e) {
            client.close();
            return;
        }
        new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, UPSTREAM_CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess() || !client.isActive()) {
                        client.close();
                        f.channel().close();
                        return;
                    }
                    connected(client, f.channel(), index);
                });
    }

    private void connected(Channel client, Channel upstreamChannel, long index) {
        long base = seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL);
        Connection connection = new Connection(this, client, upstreamChannel,
                new SplittableRandom(base), new SplittableRandom(base ^ 0x5DEECE66DL));
        connections.add(connection);
        connectionsTotal.increment();
        connection.link(Direction.UPSTREAM).rebuild(List.copyOf(upstreamToxics), Set.of());
        connection.link(Direction.DOWNSTREAM).rebuild(List.copyOf(downstreamToxics), Set.of());
        client.pipeline().addLast(new Relay(connection, Direction.UPSTREAM));
        upstreamChannel.pipeline().addLast(new Relay(connection, Direction.DOWNSTREAM));
        client.config().setAutoRead(true);
        upstreamChannel.config().setAutoRead(true);
    }

    /** Feeds what one channel reads into its link, and relays backpressure to the other side. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Connection connection;
        private final Direction direction;

        Relay(Connection connection, Direction direction) {
            this.connection = connection;
            this.direction = direction;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            connection.link(direction).onRead((ByteBuf) msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connection.link(direction).onSourceEnd();
            connection.channelGone();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Channel other = direction == Direction.UPSTREAM ? connection.upstream() : connection.client();
            other.config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
