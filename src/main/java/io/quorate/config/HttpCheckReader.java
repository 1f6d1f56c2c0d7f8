package io.quorate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads an {@code http:} block into an {@link HttpCheck}. */
final class HttpCheckReader {
  private static final Set<String> KEYS =
      Set.of(
          "https",
          "host",
          "method",
          "path",
          "requestHeaders",
          "expectStatus",
          "bodyContains",
          "bodyRegex",
          "expectHeaders",
          "maxBodyBytes",
          "followRedirects",
          "maxRedirects",
          "tls");
  private static final Set<String> HEADER_KEYS = Set.of("name", "regex", "absent");

  /** RFC 9110 §9 methods useful to a probe (CONNECT and TRACE are not). */
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  /** RFC 9110 §5.1: a field name is a token. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static final long MAX_BODY_BYTES = 1024L * 1024;
  static final long MAX_REDIRECTS = 20;

  private HttpCheckReader() {}

  static HttpCheck read(YamlNode block, ReadContext ctx) {
    int mark = block.errors().count();
    block.mapping(KEYS);
    Boolean https = block.get("https").bool(false);
    String host = TlsPolicyReader.host(block.get("host"));
    String method = method(block.get("method"));
    String path = path(block.get("path"));
    Map<String, String> headers = requestHeaders(block.get("requestHeaders"));
    List<Integer> status = statuses(block.get("expectStatus"));
    String bodyContains = block.get("bodyContains").nonEmptyString();
    String bodyRegex = StreamCheckReader.regex(block.get("bodyRegex"));
    List<HttpCheck.HeaderAssertion> expectHeaders = expectHeaders(block.get("expectHeaders"));
    Long maxBody =
        block
            .get("maxBodyBytes")
            .integer(1, MAX_BODY_BYTES, (long) HttpCheck.DEFAULT_MAX_BODY_BYTES);
    Boolean follow = block.get("followRedirects").bool(false);
    Long maxRedirects =
        block.get("maxRedirects").integer(0, MAX_REDIRECTS, (long) HttpCheck.DEFAULT_MAX_REDIRECTS);
    YamlNode tlsNode = block.get("tls");
    if (tlsNode.present() && Boolean.FALSE.equals(https)) {
      tlsNode.error("requires https: true");
    }
    TlsPolicy tls = TlsPolicyReader.read(tlsNode, ctx);
    if (block.errors().since(mark)) {
      return null;
    }
    return new HttpCheck(
        https,
        host,
        method,
        path,
        headers,
        status,
        bodyContains,
        bodyRegex,
        expectHeaders,
        maxBody.intValue(),
        follow,
        maxRedirects.intValue(),
        tls);
  }

  private static String method(YamlNode node) {
    String m = node.nonEmptyString();
    if (m == null) {
      return "GET";
    }
    if (!METHODS.contains(m)) {
      node.error("must be one of " + METHODS);
    }
    return m;
  }

  private static String path(YamlNode node) {
    String p = node.nonEmptyString();
    if (p == null) {
      return "/";
    }
    if (!p.startsWith("/")) {
      node.error("must start with /");
    } else if (p.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      node.error("must not contain spaces or control characters");
    }
    return p;
  }

  private static Map<String, String> requestHeaders(YamlNode node) {
    List<Map.Entry<String, YamlNode>> entries = node.entries();
    Map<String, String> out = new LinkedHashMap<>();
    if (entries == null) {
      return Map.of();
    }
    for (Map.Entry<String, YamlNode> e : entries) {
      YamlNode value = e.getValue();
      String problem = headerNameProblem(e.getKey());
      if (problem == null && e.getKey().equalsIgnoreCase("host")) {
        problem = "set the Host header with http.host";
      }
      if (problem != null) {
        value.error(problem);
        continue;
      }
      String v = value.string();
      if (v != null && (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)) {
        value.error("must not contain CR or LF");
      } else if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return Collections.unmodifiableMap(out); // in file order: some servers care
  }

  private static String headerNameProblem(String name) {
    if (name.isEmpty()) {
      return "header name must not be empty";
    }
    return TOKEN.matcher(name).matches() ? null : "invalid header name";
  }

  private static List<Integer> statuses(YamlNode node) {
    List<Integer> out = new ArrayList<>();
    for (YamlNode item : node.itemsOrEmpty()) {
      Long code = item.integer(100, 599, null);
      if (code != null) {
        out.add(code.intValue());
      }
    }
    return List.copyOf(out);
  }

  private static List<HttpCheck.HeaderAssertion> expectHeaders(YamlNode node) {
    List<HttpCheck.HeaderAssertion> out = new ArrayList<>();
    for (YamlNode item : node.itemsOrEmpty()) {
      if (!item.mapping(HEADER_KEYS)) {
        continue;
      }
      YamlNode nameNode = item.get("name");
      String name = nameNode.requiredString();
      if (name != null && headerNameProblem(name) != null) {
        nameNode.error(headerNameProblem(name));
      }
      String regex = StreamCheckReader.regex(item.get("regex"));
      Boolean absent = item.get("absent").bool(false);
      if (Boolean.TRUE.equals(absent) && item.get("regex").present()) {
        item.get("absent").error("cannot be combined with regex");
      }
      if (name != null && absent != null) {
        out.add(new HttpCheck.HeaderAssertion(name, regex, absent));
      }
    }
    return List.copyOf(out);
  }
}
