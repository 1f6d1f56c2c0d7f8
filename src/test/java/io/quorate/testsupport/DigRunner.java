package io.quorate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs BIND's {@code dig} against a server on 127.0.0.1 (one try, short timeout, no recursion
 * desired unless asked) and returns its output. Fails loudly when dig is missing.
 */
public final class DigRunner {
  private static final Duration LIMIT = Duration.ofSeconds(15);

  private DigRunner() {}

  /** {@code dig @127.0.0.1 -p port +time=2 +tries=1 args…}; the output whatever dig's exit code. */
  public static String dig(int port, String... args) {
    LabProcess.requireTool("dig");
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of("+time=2", "+tries=1", "+retry=0"));
    cmd.addAll(List.of(args));
    return LabProcess.exec(cmd, LIMIT).output();
  }

  /** The {@code status:} of dig's header line (NOERROR, NXDOMAIN…), or {@code null}. */
  public static String status(String digOutput) {
    int i = digOutput.indexOf("status: ");
    if (i < 0) {
      return null;
    }
    int end = digOutput.indexOf(',', i);
    return digOutput.substring(i + 8, end);
  }

  /** The flags of dig's header line, e.g. {@code "qr aa rd"}, or {@code null}. */
  public static String flags(String digOutput) {
    int i = digOutput.indexOf(";; flags: ");
    if (i < 0) {
      return null;
    }
    return digOutput.substring(i + 10, digOutput.indexOf(';', i + 10)).trim();
  }
}
