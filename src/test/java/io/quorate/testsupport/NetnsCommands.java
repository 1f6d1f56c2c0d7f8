package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Command plumbing for {@link NetnsLab}: {@code ip -batch}, the root check, names, pauses. */
final class NetnsCommands {
  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final Duration CMD_LIMIT = Duration.ofSeconds(10);

  private NetnsCommands() {}

  /** The wait between two polls of another process's or the kernel's state; never a sync. */
  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void batch(List<String> command, String script) {
    LabProcess.Exec r = batchExec(command, script);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          command + " exited " + r.exitCode() + ": " + r.output().strip() + "\nscript:\n" + script);
    }
  }

  static LabProcess.Exec batchExec(List<String> command, String script) {
    // "-batch -" would need stdin plumbing; a temp file keeps LabProcess.exec simple
    try {
      Path f = Files.createTempFile("netns-lab", ".batch");
      try {
        Files.writeString(f, script);
        List<String> c = new ArrayList<>(command.subList(0, command.size() - 1));
        c.add(f.toString());
        return LabProcess.exec(c, CMD_LIMIT);
      } finally {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void requireRoot() {
    try {
      String uid =
          Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("Uid:"))
              .map(l -> l.split("\\s+")[2])
              .collect(Collectors.joining());
      if (!"0".equals(uid)) {
        throw new IllegalStateException(
            "the network-namespace fault lab needs root (effective uid is "
                + uid
                + "): run the tests as root, as CI does (bash .ci/run)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status", e);
    }
  }

  static String randomSuffix() {
    SecureRandom r = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(SUFFIX_CHARS.charAt(r.nextInt(SUFFIX_CHARS.length())));
    }
    return s.toString();
  }
}
