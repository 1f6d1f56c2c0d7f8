package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real daemon started by the tests (named, knotd, nginx, postfix, dovecot): its own config in a
 * temp dir, loopback only, free ports. It is stopped by its own PID (and that PID's descendants),
 * never by name.
 */
public final class LabProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private LabProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} in the foreground (the daemon's "don't fork" flag is the caller's job),
   * with stdout and stderr appended to {@code log}.
   */
  public static LabProcess start(String name, List<String> command, Path workDir, Path log) {
    return start(name, command, workDir, log, Map.of());
  }

  /** As {@link #start(String, List, Path, Path)}, with {@code env} added to the environment. */
  public static LabProcess start(
      String name, List<String> command, Path workDir, Path log, Map<String, String> env) {
    requireTool(command.get(0));
    try {
      ProcessBuilder b =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      b.environment().putAll(env);
      Process p = b.start();
      return new LabProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Fails loudly when a lab tool is not installed: tests never skip a missing dependency. */
  public static void requireTool(String executable) {
    Path p = Path.of(executable);
    boolean found =
        p.isAbsolute()
            ? p.toFile().canExecute()
            : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin").stream()
                .anyMatch(d -> Path.of(d, executable).toFile().canExecute());
    if (!found) {
      throw new IllegalStateException(
          executable + " is not installed: run `bash .ci/run` (it installs the lab packages)");
    }
  }

  /** Runs a short helper command to completion (e.g. {@code postfix check}); fails on non-zero. */
  public static String run(List<String> command, Duration limit) {
    requireTool(command.get(0));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + limit);
      }
      String out = new String(p.getInputStream().readAllBytes());
      if (p.exitValue() != 0) {
        throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The exit code and combined output of a finished helper command. */
  public record Exec(int exitCode, String output) {}

  /**
   * Runs a short helper command to completion and returns its exit code and output, whatever the
   * code; fails only when it cannot start or outlives {@code limit} (it is then killed). Output
   * goes to a temp file, so a chatty command can never block on a full pipe.
   */
  public static Exec exec(List<String> command, Duration limit) {
    requireTool(command.get(0));
    Path out = null;
    try {
      out = Files.createTempFile("lab-exec", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(command + " did not finish within " + limit);
      }
      return new Exec(p.exitValue(), new String(Files.readAllBytes(out)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM to this process and its descendants, then SIGKILL after five seconds. */
  @Override
  public void close() {
    List<ProcessHandle> kids = process.descendants().toList();
    process.destroy();
    kids.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kids.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}
