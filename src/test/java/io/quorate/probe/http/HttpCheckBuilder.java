package io.quorate.probe.http;

import io.quorate.config.HttpCheck;
import io.quorate.config.HttpCheck.HeaderAssertion;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test-side builder for {@link HttpCheck} and its {@link Target}, with the config defaults. */
final class HttpCheckBuilder {
  private boolean https;
  private String host;
  private String method = "GET";
  private String path = "/health";
  private final Map<String, String> requestHeaders = new LinkedHashMap<>();
  private List<Integer> expectStatus = List.of();
  private String bodyContains;
  private String bodyRegex;
  private final List<HeaderAssertion> headers = new ArrayList<>();
  private int maxBodyBytes = HttpCheck.DEFAULT_MAX_BODY_BYTES;
  private boolean followRedirects;
  private int maxRedirects = HttpCheck.DEFAULT_MAX_REDIRECTS;
  private TlsPolicy tls = TlsPolicy.DEFAULT;
  private long timeoutMs = 3_000;

  static HttpCheckBuilder get(String path) {
    HttpCheckBuilder b = new HttpCheckBuilder();
    b.path = path;
    return b;
  }

  HttpCheckBuilder https(TlsPolicy policy) {
    this.https = true;
    this.tls = policy;
    return this;
  }

  HttpCheckBuilder host(String h) {
    this.host = h;
    return this;
  }

  HttpCheckBuilder method(String m) {
    this.method = m;
    return this;
  }

  HttpCheckBuilder header(String name, String value) {
    requestHeaders.put(name, value);
    return this;
  }

  HttpCheckBuilder status(Integer... codes) {
    this.expectStatus = List.of(codes);
    return this;
  }

  HttpCheckBuilder contains(String s) {
    this.bodyContains = s;
    return this;
  }

  HttpCheckBuilder regex(String r) {
    this.bodyRegex = r;
    return this;
  }

  HttpCheckBuilder expectHeader(String name, String regex, boolean absent) {
    headers.add(new HeaderAssertion(name, regex, absent));
    return this;
  }

  HttpCheckBuilder maxBody(int bytes) {
    this.maxBodyBytes = bytes;
    return this;
  }

  HttpCheckBuilder follow(int max) {
    this.followRedirects = true;
    this.maxRedirects = max;
    return this;
  }

  HttpCheckBuilder timeout(long ms) {
    this.timeoutMs = ms;
    return this;
  }

  HttpCheck check() {
    return new HttpCheck(
        https,
        host,
        method,
        path,
        requestHeaders,
        expectStatus,
        bodyContains,
        bodyRegex,
        headers,
        maxBodyBytes,
        followRedirects,
        maxRedirects,
        tls);
  }

  Target target(int port) {
    return new Target(
        "web-1", ProbeType.HTTP, null, "127.0.0.1", port, 10_000, timeoutMs, null, 2, 2, check());
  }
}
