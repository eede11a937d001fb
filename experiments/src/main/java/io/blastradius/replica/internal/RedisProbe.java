package io.blastradius.replica.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Asks Redis for a PONG, authenticating first. */
public final class RedisProbe {

    private RedisProbe() {
    }

    public static boolean isUp(String host, int port, String password) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                reply.append((char) b);
                if (reply.indexOf("PONG") >= 0 || reply.indexOf("-") >= 0 && reply.toString().endsWith("\n")) {
                    break;
                }
            }
            return reply.indexOf("+PONG") >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
