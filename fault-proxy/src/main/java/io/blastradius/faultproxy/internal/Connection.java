package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.internal.ToxicConfig.Direction;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;

import io.netty.util.concurrent.Future;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A client connection and its upstream connection, with their two links. Everything runs on the
 * client channel's event loop (the upstream channel shares it).
 */
final class Connection {

    private final Channel client;
    private final Channel upstream;
    private final Link upstreamLink;
    private final Link downstreamLink;
    private final Proxy proxy;
    private boolean closed;

    Connection(Proxy proxy, Channel client, Channel upstream, SplittableRandom upstreamRandom, SplittableRandom downstreamRandom) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        this.upstreamLink = new Link(this, Direction.UPSTREAM, upstream, upstreamRandom, proxy);
        this.downstreamLink = new Link(this, Direction.DOWNSTREAM, client, downstreamRandom, proxy);
    }

    Link link(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamLink : downstreamLink;
    }

    Channel sourceOf(Link link) {
        return link == upstreamLink ? client : upstream;
    }

    Channel client() {
        return client;
    }

    Channel upstream() {
        return upstream;
    }

    /** Applies the proxy's current toxics to this connection's links, on its event loop; done when the future is. */
    Future<?> apply(List<ToxicConfig> upstreamToxics, List<ToxicConfig> downstreamToxics, Set<String> removed) {
        return client.eventLoop().submit(() -> {
            if (!closed) {
                upstreamLink.rebuild(upstreamToxics, removed);
                downstreamLink.rebuild(downstreamToxics, removed);
            }
        });
    }

    void close(boolean reset) {
        if (closed) {
            return;
        }
        closed = true;
        if (reset) {
            client.config().setOption(ChannelOption.SO_LINGER, 0);
            upstream.config().setOption(ChannelOption.SO_LINGER, 0);
            client.close();
            upstream.close();
        } else {
            flushAndClose(client);
            flushAndClose(upstream);
        }
        proxy.closed(this);
    }

    /** Called when either channel has gone: once both are gone the connection is done. */
    void channelGone() {
        if (!client.isActive() && !upstream.isActive() && !closed) {
            closed = true;
            proxy.closed(this);
        }
    }

    static void flushAndClose(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
