package io.blastradius.replica.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Questions to the replica's Redis, authenticating first: are you up (PONG), how many keys (DBSIZE), and drop every key (FLUSHALL). */
public final class RedisProbe {

    private RedisProbe() {
    }

    public static boolean isUp(String host, int port, String password) {
        return command(host, port, password, "PING", "+PONG");
    }

    /** Removes every key: the sessions an experiment left behind. */
    public static boolean flushAll(String host, int port, String password) {
        return command(host, port, password, "FLUSHALL", "+OK");
    }

    /** How many keys Redis holds (DBSIZE), or -1 if it does not answer. */
    public static long keys(String host, int port, String password) {
        String reply = reply(host, port, password, "DBSIZE");
        return reply != null && reply.startsWith(":") ? Long.parseLong(reply.substring(1)) : -1;
    }

    /** Sends AUTH then one inline command; true when the command's reply is {@code expected}. */
    private static boolean command(String host, int port, String password, String command, String expected) {
        return expected.equals(reply(host, port, password, command));
    }

    /** Sends AUTH then one inline command; the command's one-line reply, or null if AUTH failed or nothing came. */
    private static String reply(String host, int port, String password, String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + password + "\r\n" + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int lines = 0;
            int b;
            // two replies: AUTH's, then the command's
            while (lines < 2 && (b = in.read()) >= 0) {
                reply.append((char) b);
                if (b == '\n') {
                    lines++;
                }
            }
            String[] replies = reply.toString().split("\r\n");
            return replies.length == 2 && replies[0].equals("+OK") ? replies[1] : null;
        } catch (IOException e) {
            return null;
        }
    }
}
