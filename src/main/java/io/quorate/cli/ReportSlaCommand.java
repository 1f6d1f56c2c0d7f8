package io.quorate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quorate report sla}: fetches the monthly SLA report ({@code GET /api/v1/sla/report}) from
 * a running agent and prints it or writes it to a file. Blocking HTTP is fine here: a CLI runs no
 * event loop. Exit codes: 0 written; 2 bad usage (month, format, token file); 3 the API is
 * unreachable or timed out; 4 the token was refused (401/403); 5 any other API error.
 */
@Command(
    name = "sla",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Fetch the monthly SLA report (every group and target, incidents, maintenance, credits)."
            + " Exit 0 written, 2 bad usage, 3 API unreachable, 4 token refused, 5 API error.")
public final class ReportSlaCommand implements Callable<Integer> {
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;
  static final int REFUSED = 4;
  static final int API_ERROR = 5;

  /** Largest report accepted from the API. */
  static final int MAX_BYTES = 64 * 1024 * 1024;

  /** Largest token file read. */
  static final int MAX_TOKEN_BYTES = 4_096;

  @Spec CommandSpec spec;

  @Option(names = "--month", description = "UTC month YYYY-MM (default: the previous full month)")
  String month;

  @Option(
      names = "--api",
      defaultValue = "http://127.0.0.1:8080",
      description = "the agent's API base URL (default: ${DEFAULT-VALUE})")
  String api;

  @Option(
      names = "--token-file",
      required = true,
      description = "file holding a bearer token with the read scope")
  Path tokenFile;

  @Option(
      names = "--format",
      defaultValue = "md",
      description = "md, csv, html or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--out", description = "write the report to this file (default: stdout)")
  Path out;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "60",
      description = "give up after this long (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  /** A failure with its exit code and one-line message. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Failure(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      URI uri = uri();
      String token = token();
      byte[] body = fetch(uri, token);
      write(body);
      return 0;
    } catch (Failure f) {
      err.println("quorate report sla: " + f.getMessage());
      err.flush();
      return f.code;
    }
  }

  private URI uri() throws Failure {
    if (!format.matches("md|csv|html|json")) {
      throw new Failure(USAGE, "--format must be md, csv, html or json, got '" + format + "'");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new Failure(USAGE, "--timeout-seconds must be in 1..3600");
    }
    StringBuilder q = new StringBuilder("?format=").append(format);
    if (month != null) {
      q.append("&month=").append(URLEncoder.encode(checkedMonth(month), StandardCharsets.UTF_8));
    }
    try {
      URI base = new URI(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
      if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme()))
          || base.getHost() == null) {
        throw new URISyntaxException(api, "need http:// or https:// and a host");
      }
      return URI.create(base + "/api/v1/sla/report" + q);
    } catch (URISyntaxException e) {
      throw new Failure(USAGE, "--api must be an http(s) URL like http://127.0.0.1:8080");
    }
  }

  static String checkedMonth(String m) throws Failure {
    try {
      YearMonth ym = YearMonth.parse(m);
      if (ym.getYear() >= 2000 && ym.getYear() <= 9999) {
        return ym.toString();
      }
    } catch (DateTimeParseException e) {
      // fall through
    }
    throw new Failure(USAGE, "--month must be YYYY-MM (e.g. 2026-11), got '" + m + "'");
  }

  private String token() throws Failure {
    try {
      if (Files.size(tokenFile) > MAX_TOKEN_BYTES) {
        throw new Failure(USAGE, "token file " + tokenFile + " is larger than 4 KiB");
      }
      String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new Failure(USAGE, "token file " + tokenFile + " must hold one token on one line");
      }
      return t;
    } catch (IOException e) {
      throw new Failure(USAGE, "cannot read token file " + tokenFile + ": " + e.getMessage());
    }
  }

  private byte[] fetch(URI uri, String token) throws Failure {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the agent speaks HTTP/1.1; no h2c upgrade
            .connectTimeout(Duration.ofSeconds(Math.min(10, timeoutSeconds)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    try {
      HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = res.body()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
      if (body.length > MAX_BYTES) {
        throw new Failure(API_ERROR, "the report is larger than " + MAX_BYTES + " bytes");
      }
      return checked(res.statusCode(), body);
    } catch (IOException e) {
      throw new Failure(UNREACHABLE, "cannot reach the API at " + api + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(UNREACHABLE, "interrupted");
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
  }

  /** The body of a 200; a typed failure with the problem's detail otherwise. */
  static byte[] checked(int status, byte[] body) throws Failure {
    if (status == 200) {
      return body;
    }
    String detail = detail(body);
    if (status == 401 || status == 403) {
      throw new Failure(REFUSED, "the API refused the token (" + status + "): " + detail);
    }
    throw new Failure(API_ERROR, "the API answered " + status + ": " + detail);
  }

  private static String detail(byte[] body) {
    try {
      String d =
          new io.vertx.core.json.JsonObject(new String(body, StandardCharsets.UTF_8))
              .getString("detail");
      if (d != null) {
        return d.length() <= 300 ? d : d.substring(0, 300) + "…";
      }
    } catch (RuntimeException e) {
      // not a problem document
    }
    return "(no problem detail)";
  }

  private void write(byte[] body) throws Failure {
    if (out == null) {
      PrintWriter o = spec.commandLine().getOut();
      o.print(new String(body, StandardCharsets.UTF_8));
      o.flush();
      return;
    }
    Path target = out.toAbsolutePath();
    Path tmp = null;
    try {
      // a reader of --out never sees half a report: write aside, then rename; the report is
      // meant to be published, so it is world-readable (createTempFile makes it 0600)
      tmp = Files.createTempFile(target.getParent(), ".sla-report", ".tmp");
      Files.write(tmp, body);
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(
            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new Failure(USAGE, "cannot write " + out + ": " + describe(e));
    }
    spec.commandLine().getErr().printf("wrote %s (%d bytes)%n", out, body.length);
    spec.commandLine().getErr().flush();
  }

  private static void deleteQuietly(Path p) {
    try {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: the temp file is hidden and named as ours
    }
  }
}
