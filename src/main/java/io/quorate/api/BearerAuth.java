package io.quorate.api;

import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * RFC 6750 bearer-token authentication with scopes. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual} (constant time), and every configured token is compared on every
 * request, so timing reveals neither the token nor which one matched.
 */
public final class BearerAuth {
  static final String SCOPES_KEY = "quorate.scopes";
  static final String PRINCIPAL_KEY = "quorate.principal";

  private record Entry(String name, byte[] digest, Set<Scope> scopes) {}

  private final List<Entry> entries;

  public BearerAuth(List<ApiToken> tokens) {
    this.entries =
        tokens.stream()
            .map(t -> new Entry(t.name(), sha256(t.token().reveal()), t.scopes()))
            .toList();
  }

  /** A handler that lets the request through only with a valid token holding {@code scope}. */
  public Handler<RoutingContext> require(Scope scope) {
    return ctx -> {
      Entry who = authenticate(ctx.request().getHeader("Authorization"));
      if (who == null) {
        ctx.fail(
            new Problem(
                401,
                "unauthorized",
                "Unauthorized",
                "a valid bearer token is required (Authorization: Bearer <token>)"));
      } else if (!who.scopes().contains(scope)) {
        ctx.fail(
            new Problem(
                403,
                "forbidden",
                "Forbidden",
                "token '" + who.name() + "' lacks the '" + scope.wireName() + "' scope"));
      } else {
        ctx.put(PRINCIPAL_KEY, who.name());
        ctx.put(SCOPES_KEY, who.scopes());
        ctx.next();
      }
    };
  }

  private Entry authenticate(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] presented = sha256(header.substring(7).trim());
    Entry match = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), presented) && match == null) {
        match = e;
      }
    }
    return match;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
