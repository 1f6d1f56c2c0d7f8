package io.quorate.probe.http;

import io.quorate.config.HttpCheck;
import io.quorate.config.Target;

/**
 * One request of an HTTP probe: where to connect, which name to present (Host and SNI) and what to
 * ask for. The first hop connects to the target's own address with the service name as Host, so
 * each round-robin member is checked on its own; redirects make further hops.
 *
 * @param https use TLS
 * @param connectHost address (or, for a cross-origin redirect, name) to connect to
 * @param port TCP port
 * @param hostName the Host header and SNI name (RFC 9110 §7.2, RFC 6066 §3)
 * @param path request target, origin-form (RFC 9112 §3.2.1)
 * @param sameOrigin whether this hop stays on the original service name (the TLS policy's
 *     serverName then still applies)
 */
record HttpHop(
    boolean https, String connectHost, int port, String hostName, String path, boolean sameOrigin) {

  static HttpHop first(Target target, HttpCheck check) {
    String host = check.host() == null || check.host().isBlank() ? target.address() : check.host();
    String path = check.path() == null || check.path().isEmpty() ? "/" : check.path();
    return new HttpHop(check.https(), target.address(), target.port(), host, path, true);
  }

  /** The Host header value: the port is omitted when it is the scheme's default. */
  String hostHeader() {
    String h = hostName.contains(":") ? "[" + hostName + "]" : hostName;
    return port == defaultPort() ? h : h + ":" + port;
  }

  int defaultPort() {
    return https ? 443 : 80;
  }

  /** The absolute URL of this hop, used to resolve relative redirects and to detect loops. */
  String url() {
    return (https ? "https" : "http") + "://" + hostHeader() + path;
  }
}
