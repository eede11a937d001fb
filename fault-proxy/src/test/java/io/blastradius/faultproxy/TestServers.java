package io.blastradius.faultproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/** Plain blocking TCP servers on loopback, one thread per connection: the far side of a proxy in tests. */
final class TestServers {

    private TestServers() {
    }

    /** A server whose connections are each handled by {@code handler}; closed with the returned socket. */
    static ServerSocket start(Consumer<Socket> handler) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread worker = new Thread(() -> {
                            try (socket) {
                                handler.accept(socket);
                            } catch (IOException | RuntimeException ignored) {
                                // the test decides what a broken connection means
                            }
                        });
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-server");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Echoes every byte back. */
    static ServerSocket echo() {
        return start(socket -> {
            try {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Sends {@code bytes} bytes at once, then closes. */
    static ServerSocket sender(int bytes) {
        return start(socket -> {
            try {
                socket.getOutputStream().write(new byte[bytes]);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String address(ServerSocket server) {
        return "127.0.0.1:" + server.getLocalPort();
    }
}
