package io.quorate.testsupport;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * An agent's REST API as seen from inside the agent's own namespace: each request is one {@code ip
 * netns exec <ns> curl} to the agent's 198.18 address. The test JVM lives in the host namespace,
 * which has no address on the lab bridge (by design: nothing can leak off the host), and a JVM
 * cannot switch one thread into another namespace; a short curl in the agent's namespace reaches it
 * over that namespace's loopback, which no fault rule touches ({@link NetnsFaults} only matches
 * {@code eth0}), so an isolated or cut agent stays observable. Each call costs ~10 ms.
 */
public final class AgentApi {
  /** curl's own limit per request; a stopped ({@code SIGSTOP}) agent makes requests time out. */
  private static final int REQUEST_SECONDS = 3;

  private final NetnsLab lab;
  private final String region;
  private final String base;
  private final String token;
  private final String operateToken;

  AgentApi(NetnsLab lab, String region, String base, String token, String operateToken) {
    this.lab = lab;
    this.region = region;
    this.base = base;
    this.token = token;
    this.operateToken = operateToken;
  }

  /** A response: HTTP status and body. */
  public record Response(int status, String body) {}

  /** An API answer that is not 200 + a JSON object. */
  public static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(String message, int status) {
      super(message);
      this.status = status;
    }

    /** The HTTP status, or 0 when no HTTP response arrived (refused, timed out). */
    public int status() {
      return status;
    }
  }

  /** {@code GET path} with the read token; any status. Fails if no HTTP response arrives. */
  public Response request(String path) {
    return send("GET", path, token);
  }

  /**
   * {@code POST path} (no body) with the operate token (scopes read and operate); any status. Fails
   * if no HTTP response arrives.
   */
  public Response post(String path) {
    return send("POST", path, operateToken);
  }

  private Response send(String method, String path, String bearer) {
    LabProcess.Exec r =
        lab.exec(
            region,
            List.of(
                "curl",
                "-sS",
                "-X",
                method,
                "-m",
                Integer.toString(REQUEST_SECONDS),
                "-H",
                "Authorization: Bearer " + bearer,
                "-w",
                "\n%{http_code}",
                base + path),
            Duration.ofSeconds(REQUEST_SECONDS + 5));
    if (r.exitCode() != 0) {
      throw new ApiException(
          region
              + " "
              + method
              + " "
              + path
              + ": curl exited "
              + r.exitCode()
              + ": "
              + r.output().strip(),
          0);
    }
    String out = r.output();
    int nl = out.lastIndexOf('\n');
    return new Response(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl));
  }

  /** The HTTP status of {@code GET path}. */
  public int status(String path) {
    return request(path).status();
  }

  /** {@code GET path}, which must answer 200 with a JSON object. */
  public JsonObject get(String path) {
    Response r = request(path);
    if (r.status() != 200) {
      throw new ApiException(
          region + " GET " + path + " answered " + r.status() + ": " + clip(r.body()), r.status());
    }
    try {
      return new JsonObject(r.body());
    } catch (DecodeException e) {
      throw new ApiException(region + " GET " + path + " is not JSON: " + clip(r.body()), 200);
    }
  }

  /** {@code GET /api/v1/targets/{id}} (this region's local view). */
  public JsonObject target(String id) {
    return get("/api/v1/targets/" + id);
  }

  /** {@code GET /api/v1/verdicts/{id}} (issue 3 contract). */
  public JsonObject verdict(String id) {
    return get("/api/v1/verdicts/" + id);
  }

  /** {@code GET /api/v1/pools/{id}} (issue 4 contract). */
  public JsonObject pool(String id) {
    return get("/api/v1/pools/" + id);
  }

  /** {@code GET /api/v1/audit?pool={pool}&limit={limit}} (issue 4 contract), newest first. */
  public JsonObject audit(String pool, int limit) {
    return get("/api/v1/audit?pool=" + pool + "&limit=" + limit);
  }

  /** {@code GET /api/v1/regions} (issue 3 contract). */
  public JsonObject regions() {
    return get("/api/v1/regions");
  }

  public String region() {
    return region;
  }

  private static String clip(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }
}
