package io.blastradius.kubernetes;

import io.fabric8.kubernetes.client.PortForward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A port-forward that follows a Deployment's pods: one loopback port for the whole run, and every
 * connection to it forwarded to the port of whichever pod is ready when it is made. A pod deleted by a
 * crash fault takes its forwarded connections with it (as a dead process resets them); the next
 * connection goes to its replacement. ({@code kubectl port-forward} and fabric8's own forward bind to one
 * pod and die with it.) A connection made while no pod is ready is closed at once: refused, as locally.
 */
final class PodForward implements AutoCloseable {

    /** Forwards one accepted connection to a pod's port; the forward ends when either side closes. */
    interface Tunnel {
        PortForward open(String pod, int port, SocketChannel connection);
    }

    private final String deployment;
    private final int port;
    private final Function<String, Optional<String>> readyPod;
    private final Tunnel tunnel;
    private final ServerSocketChannel listener;
    private final ExecutorService acceptor;
    /** Opens the forwards (a WebSocket handshake each), so that a slow API server holds up no other connection. */
    private final ExecutorService opener;

    /**
     * @param readyPod the name of a ready pod of a Deployment, if there is one now
     */
    PodForward(String deployment, int port, Function<String, Optional<String>> readyPod, Tunnel tunnel) {
        this.deployment = deployment;
        this.port = port;
        this.readyPod = readyPod;
        this.tunnel = tunnel;
        try {
            this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not listen on the loopback for a port-forward to " + deployment + ":" + port, e);
        }
        this.acceptor = Executors.newSingleThreadExecutor(r -> daemon(r, "port-forward-" + deployment + "-" + port));
        this.opener = Executors.newCachedThreadPool(r -> daemon(r, "port-forward-" + deployment + "-" + port + "-open"));
        acceptor.execute(this::accept);
    }

    /** The loopback port it listens on. */
    int localPort() {
        return listener.socket().getLocalPort();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + localPort());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private void accept() {
        while (listener.isOpen()) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                opener.execute(() -> open(connection));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(connection);
            }
        }
    }

    /** Forwards a connection to the pod that is ready now (one list of pods per connection: clients keep theirs alive). */
    private void open(SocketChannel connection) {
        try {
            Optional<String> target = readyPod.apply(deployment);
            if (target.isEmpty()) {
                closeQuietly(connection);
                return;
            }
            tunnel.open(target.get(), port, connection);
        } catch (RuntimeException e) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(SocketChannel connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing to do: it was going away
        }
    }

    /**
     * Stops listening; returns once the port is free. (Java finishes closing a listener that a thread is blocked
     * accepting on only when that thread leaves accept(): until then the port stays bound, and a clean CI run
     * met "address already in use" binding it right after close.)
     */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        acceptor.shutdownNow();
        try {
            acceptor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        opener.shutdownNow();
    }
}
