package io.quorate.probe.dns;

import io.quorate.probe.ErrorKind;

/**
 * A DNS server to ask: where to send ({@code host}, {@code port}) and how to name it in details and
 * facts ({@code label}, e.g. {@code 127.0.0.1:5353} or {@code ns2.example.test/127.0.0.2:53}).
 */
public record ServerAddress(String label, String host, int port) {
  public static final int DEFAULT_PORT = 53;

  /** Parses {@code host}, {@code host:port} or {@code [v6]:port}; the port defaults to 53. */
  public static ServerAddress parse(String text) {
    String s = text.trim();
    String host = s;
    int port = DEFAULT_PORT;
    try {
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        host = s.substring(1, close);
        if (close + 1 < s.length()) {
          port = Integer.parseInt(s.substring(close + 2));
        }
      } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
        host = s.substring(0, s.indexOf(':'));
        port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
      }
    } catch (RuntimeException e) {
      throw new DnsProbeException(ErrorKind.INTERNAL, "invalid server '" + text + "'");
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new DnsProbeException(ErrorKind.INTERNAL, "invalid server '" + text + "'");
    }
    return new ServerAddress(label(host, port), host, port);
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  public static String label(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
