package io.conduit.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests Java's HTTP client refuses to send (malformed escapes and the like), written by hand. */
final class GatewayHarnessRaw {
    private GatewayHarnessRaw() {
    }

    /** The status code answered to {@code "METHOD /path"} sent as HTTP/1.1 with no body. */
    static int status(GatewayHarness gw, String requestLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
