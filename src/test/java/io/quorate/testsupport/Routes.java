package io.quorate.testsupport;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;

/**
 * The concrete endpoints of a Vert.x router tree, for checking them against the OpenAPI document.
 */
public final class Routes {
  private Routes() {}

  /** {@code "METHOD /path/{param}"} for every endpoint of {@code router} and its sub-routers. */
  public static Set<String> of(Router router) {
    Set<String> out = new TreeSet<>();
    collect(router, "", out);
    return out;
  }

  /** Walks the router tree; "METHOD /path/{param}" for each concrete endpoint. */
  public static void collect(Router router, String prefix, Set<String> out) {
    for (Route r : router.getRoutes()) {
      String path = r.getPath();
      if (r.getSubRouter() != null) {
        String mount = path == null ? "" : path.replaceAll("/?\\*?$", "");
        collect(r.getSubRouter(), prefix + mount, out);
        continue;
      }
      if (path == null || r.methods() == null || r.methods().isEmpty()) {
        continue; // body handler, auth, 404 fallback, failure handler
      }
      String full = (prefix + path).replaceAll("/$", "").replaceAll(":(\\w+)", "{$1}");
      for (HttpMethod m : r.methods()) {
        out.add(m.name() + " " + (full.isEmpty() ? "/" : full));
      }
    }
  }
}
