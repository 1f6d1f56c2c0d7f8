package io.quorate.config;

import java.util.List;
import java.util.Map;

/**
 * An HTTP(S) request to one address with the service's name as Host and SNI, so each member of a
 * round-robin set has its own health.
 *
 * @param https use TLS
 * @param host Host header and SNI; {@code null} = the target address
 * @param method request method, default GET
 * @param path request path and query, default {@code /}
 * @param requestHeaders extra request headers
 * @param expectStatus acceptable status codes; empty = 200-399
 * @param bodyContains substring the body must contain
 * @param bodyRegex regular expression the body must match somewhere ({@code find})
 * @param expectHeaders response header assertions
 * @param maxBodyBytes stop reading (and fail) beyond this many body bytes
 * @param followRedirects follow 3xx up to {@code maxRedirects}; link-local targets are refused
 * @param maxRedirects redirect limit when following
 * @param tls TLS policy when {@code https}
 */
public record HttpCheck(
    boolean https,
    String host,
    String method,
    String path,
    Map<String, String> requestHeaders,
    List<Integer> expectStatus,
    String bodyContains,
    String bodyRegex,
    List<HeaderAssertion> expectHeaders,
    int maxBodyBytes,
    boolean followRedirects,
    int maxRedirects,
    TlsPolicy tls)
    implements Check {

  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  /**
   * One response header assertion: with only {@code name}, the header must be present; with {@code
   * regex}, some value must match; with {@code absent: true}, it must not be present.
   */
  public record HeaderAssertion(String name, String regex, boolean absent) {}
}
